"""A deterministic evaluation set for recommendations and skill extraction.

Twelve occupations, each with specialisations (a specialisation is what a person would call "the same job":
titles, the skills it asks for, the sentences its postings use). Resumes and jobs are drawn from the same
specialisations with a fixed seed, and every resume x job pair gets a graded label:

    3  same specialisation, seniority at most one step apart
    2  same occupation (another specialisation, or the same one two seniority steps away)
    1  a related occupation (sales <-> marketing, software <-> data, design <-> marketing, ...)
    0  anything else, including the hard negatives: titles that share words across occupations
       ("Sales Engineer" vs "Software Engineer", "Maintenance Engineer", "Nursing Assistant" vs "Legal
       Assistant", "Account Manager" vs "Accounts Payable Clerk")

Skills are written the way people write them (synonyms and abbreviations: "k8s", "RN", "ICU", "js"), some
outside the taxonomy ("lesson planning"), and postings carry distractor phrases ("go the extra mile", "excel at
customer care") so extraction precision is tested, not assumed. `truth_skills` of a job is what its text names.

    .venv/bin/python bench/matching_eval/dataset.py [out_dir]
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

SEED = 14
LEVELS = ("junior", "mid", "senior")
LEVEL_PREFIX = {
    "junior": ["Junior ", "Entry-Level ", "Graduate "],
    "mid": ["", ""],
    "senior": ["Senior ", "Lead "],
}


@dataclass(frozen=True)
class Spec:
    occupation: str
    name: str
    titles: tuple[str, ...]
    skills: tuple[str, ...]  # as written in text; the first ones are the core
    duties: tuple[str, ...]


# Skills as people write them. A variant maps to the canonical label the truth uses (None: outside the taxonomy).
VARIANTS = {
    "Kubernetes": ["k8s", "Kubernetes"],
    "JavaScript": ["JavaScript", "js"],
    "Amazon Web Services": ["AWS", "Amazon Web Services"],
    "PostgreSQL": ["PostgreSQL", "Postgres"],
    "Registered Nurse": ["RN", "Registered Nurse"],
    "Critical Care Nursing": ["ICU", "critical care"],
    "Basic Life Support": ["BLS", "Basic Life Support"],
    "Advanced Cardiac Life Support": ["ACLS", "Advanced Cardiac Life Support"],
    "Certified Public Accountant": ["CPA", "Certified Public Accountant"],
    "Salesforce": ["Salesforce", "SFDC"],
    "Search Engine Marketing": ["PPC", "SEM"],
    "Certified Nursing Assistant": ["CNA", "Certified Nursing Assistant"],
    "Financial Planning and Analysis": ["FP&A", "Financial Planning and Analysis"],
}

SPECS: tuple[Spec, ...] = (
    # --- software ---
    Spec(
        "software",
        "backend_python",
        ("Backend Engineer", "Python Developer", "Backend Software Engineer"),
        ("Python", "Django", "PostgreSQL", "REST APIs", "Docker", "Redis", "FastAPI", "Celery"),
        (
            "design and build the APIs behind our product",
            "own services from design to production",
            "review code and improve our test coverage",
        ),
    ),
    Spec(
        "software",
        "backend_java",
        ("Java Developer", "Backend Engineer (Java)", "Software Engineer, Platform"),
        ("Java", "Spring Boot", "Microservices", "Apache Kafka", "SQL", "Kubernetes", "JUnit"),
        (
            "build and run microservices that handle millions of events",
            "improve the reliability of our platform",
            "work with product teams on new services",
        ),
    ),
    Spec(
        "software",
        "frontend",
        ("Frontend Engineer", "React Developer", "Frontend Developer"),
        ("JavaScript", "TypeScript", "React", "CSS", "HTML", "Next.js", "Jest"),
        (
            "build accessible, fast user interfaces",
            "work closely with designers on our design system",
            "own the web app's performance",
        ),
    ),
    Spec(
        "software",
        "devops",
        ("DevOps Engineer", "Site Reliability Engineer", "Platform Engineer"),
        ("Kubernetes", "Terraform", "Amazon Web Services", "Docker", "Linux", "Prometheus", "GitHub Actions"),
        (
            "run our cloud infrastructure",
            "automate deployments and monitoring",
            "take part in the on-call rota",
        ),
    ),
    # --- data ---
    Spec(
        "data",
        "data_science",
        ("Data Scientist", "Machine Learning Engineer", "Applied Scientist"),
        ("Python", "Machine Learning", "pandas", "scikit-learn", "Statistics", "SQL", "A/B Testing"),
        (
            "build models that forecast demand",
            "design and analyse experiments",
            "turn business questions into models",
        ),
    ),
    Spec(
        "data",
        "data_analyst",
        ("Data Analyst", "Business Intelligence Analyst", "Reporting Analyst"),
        ("SQL", "Tableau", "Excel", "Power BI", "Data Analysis", "Data Visualization"),
        (
            "build dashboards for the leadership team",
            "answer ad-hoc questions with data",
            "keep our reporting accurate",
        ),
    ),
    # --- nursing ---
    Spec(
        "nursing",
        "icu",
        ("ICU Registered Nurse", "Critical Care Nurse", "Intensive Care Nurse"),
        (
            "Registered Nurse",
            "Critical Care Nursing",
            "Advanced Cardiac Life Support",
            "Basic Life Support",
            "IV Therapy",
            "Telemetry",
            "Medication Administration",
        ),
        (
            "care for critically ill adult patients",
            "monitor patients on ventilators and drips",
            "work with physicians on care plans",
        ),
    ),
    Spec(
        "nursing",
        "med_surg",
        ("Medical-Surgical Nurse", "Registered Nurse, Med-Surg", "Staff Nurse"),
        (
            "Registered Nurse",
            "Medical-Surgical Nursing",
            "Basic Life Support",
            "Wound Care",
            "Medication Administration",
            "Patient Education",
            "Electronic Health Records",
        ),
        (
            "provide direct patient care on a busy ward",
            "educate patients and families before discharge",
            "document care in our health record system",
        ),
    ),
    Spec(
        "nursing",
        "pediatric",
        ("Pediatric Nurse", "Registered Nurse, Pediatrics", "Children's Nurse"),
        (
            "Registered Nurse",
            "Pediatric Nursing",
            "Pediatric Advanced Life Support",
            "Patient Education",
            "Vital Signs Monitoring",
            "Infection Control",
        ),
        (
            "care for children and their families",
            "assess and monitor young patients",
            "support families through treatment",
        ),
    ),
    Spec(
        "nursing",
        "cna",
        ("Certified Nursing Assistant", "Nursing Assistant", "Patient Care Assistant"),
        (
            "Certified Nursing Assistant",
            "Patient Care",
            "Vital Signs Monitoring",
            "Caregiving",
            "Infection Control",
            "Geriatric Care",
        ),
        ("help residents with daily living", "take and record vital signs", "support the nursing team"),
    ),
    # --- sales (with the hard negative "Sales Engineer") ---
    Spec(
        "sales",
        "saas_sales",
        ("Account Executive", "SaaS Sales Representative", "Business Development Rep"),
        (
            "SaaS Sales",
            "Salesforce",
            "Prospecting",
            "Pipeline Management",
            "B2B Sales",
            "Closing Deals",
            "Sales Negotiation",
        ),
        (
            "own a quota and a pipeline of mid-market accounts",
            "run discovery calls and product demos",
            "close new business",
        ),
    ),
    Spec(
        "sales",
        "sales_engineer",
        ("Sales Engineer", "Solutions Engineer", "Pre-Sales Engineer"),
        (
            "Consultative Selling",
            "Presentation Skills",
            "SaaS Sales",
            "Salesforce",
            "Enterprise Sales",
            "Communication",
            "REST APIs",
            "Python",
        ),  # a software vocabulary in a sales job
        (
            "run technical demos for prospects alongside account executives",
            "answer security questionnaires",
            "help close enterprise deals",
        ),
    ),
    Spec(
        "sales",
        "account_management",
        ("Account Manager", "Key Account Manager", "Customer Success Manager"),
        ("Account Management", "Customer Success", "Upselling", "CRM", "Client Relations", "Communication"),
        (
            "grow and retain a book of existing customers",
            "run quarterly business reviews",
            "spot upsell opportunities",
        ),
    ),
    # --- marketing ---
    Spec(
        "marketing",
        "digital_marketing",
        ("Digital Marketing Manager", "Performance Marketer", "SEO Specialist"),
        (
            "SEO",
            "Google Ads",
            "Google Analytics",
            "Search Engine Marketing",
            "Email Marketing",
            "Content Marketing",
        ),
        ("plan and run paid campaigns", "grow organic traffic", "report on campaign performance"),
    ),
    Spec(
        "marketing",
        "content",
        ("Content Marketing Manager", "Copywriter", "Brand Manager"),
        ("Content Marketing", "Copywriting", "Brand Management", "Social Media Marketing", "Content Writing"),
        ("write and edit our blog and newsletters", "own the brand voice", "plan the content calendar"),
    ),
    # --- finance (with the hard negative "Accounts Payable" vs "Account Manager") ---
    Spec(
        "finance",
        "accounting",
        ("Staff Accountant", "Accounts Payable Clerk", "Senior Accountant"),
        (
            "Accounting",
            "US GAAP",
            "General Ledger",
            "QuickBooks",
            "Accounts Payable",
            "Financial Reporting",
            "Certified Public Accountant",
        ),
        (
            "run the month-end close",
            "reconcile accounts and the general ledger",
            "prepare financial statements",
        ),
    ),
    Spec(
        "finance",
        "fpa",
        ("Financial Analyst", "FP&A Analyst", "Finance Business Partner"),
        (
            "Financial Modeling",
            "Financial Planning and Analysis",
            "Excel",
            "Budgeting",
            "Forecasting",
            "Financial Analysis",
        ),
        (
            "build the annual budget and forecasts",
            "model investment decisions",
            "partner with department heads",
        ),
    ),
    # --- logistics ---
    Spec(
        "logistics",
        "warehouse",
        ("Warehouse Associate", "Forklift Operator", "Warehouse Supervisor"),
        (
            "Forklift Operation",
            "Order Picking",
            "Shipping and Receiving",
            "Inventory Management",
            "Warehouse Management",
            "Occupational Safety",
        ),
        (
            "pick, pack and ship customer orders",
            "receive and put away deliveries",
            "keep stock counts accurate",
        ),
    ),
    Spec(
        "logistics",
        "transport",
        ("Transport Planner", "Fleet Coordinator", "Delivery Driver"),
        (
            "Route Planning",
            "Fleet Management",
            "Transportation Management",
            "Commercial Driving",
            "Delivery Driving",
            "Logistics",
        ),
        ("plan daily delivery routes", "coordinate drivers and vehicles", "keep deliveries on time"),
    ),
    Spec(
        "logistics",
        "supply_chain",
        ("Supply Chain Analyst", "Procurement Specialist", "Demand Planner"),
        (
            "Supply Chain Management",
            "Demand Planning",
            "Procurement",
            "Vendor Management",
            "Excel",
            "Inventory Management",
        ),
        ("forecast demand for our product lines", "negotiate with suppliers", "reduce stock-outs"),
    ),
    # --- design (with the hard negative "Interior Designer" for product designers, same occupation) ---
    Spec(
        "design",
        "ux",
        ("UX Designer", "Product Designer", "UI/UX Designer"),
        (
            "UX Design",
            "Figma",
            "Wireframing",
            "Prototyping",
            "UX Research",
            "Design Systems",
            "Interaction Design",
        ),
        (
            "design flows from research to polished screens",
            "run usability tests",
            "maintain our design system",
        ),
    ),
    Spec(
        "design",
        "graphic",
        ("Graphic Designer", "Visual Designer", "Brand Designer"),
        (
            "Graphic Design",
            "Adobe Illustrator",
            "Adobe Photoshop",
            "Adobe InDesign",
            "Typography",
            "Branding Design",
        ),
        (
            "design campaigns, packaging and print",
            "keep our visual identity consistent",
            "prepare files for print",
        ),
    ),
    Spec(
        "design",
        "interior",
        ("Interior Designer", "Interior Design Consultant", "Space Planner"),
        ("Interior Design", "AutoCAD", "Revit", "Space Planning", "3D Modeling"),
        (
            "plan commercial interiors with clients",
            "prepare drawings and material boards",
            "work with contractors on site",
        ),
    ),
    # --- teaching (partly outside the taxonomy: measured as such) ---
    Spec(
        "teaching",
        "primary",
        ("Primary School Teacher", "Elementary Teacher", "Classroom Teacher"),
        ("Teaching", "Curriculum Development", "Lesson Planning", "Classroom Management", "Mentoring"),
        (
            "plan and teach lessons for a class of 25 pupils",
            "assess progress and report to parents",
            "create a safe, inclusive classroom",
        ),
    ),
    Spec(
        "teaching",
        "language",
        ("English Teacher", "ESL Instructor", "Spanish Teacher"),
        ("Teaching", "English", "Spanish", "Lesson Planning", "Curriculum Development"),
        (
            "teach language classes to adults and teenagers",
            "prepare students for exams",
            "design course materials",
        ),
    ),
    Spec(
        "teaching",
        "teaching_assistant",
        ("Teaching Assistant", "Learning Support Assistant", "Classroom Aide"),
        ("Teaching", "Classroom Management", "Mentoring", "Communication"),
        (
            "support pupils with additional needs",
            "help the teacher run small-group sessions",
            "supervise break times",
        ),
    ),
    # --- hospitality ---
    Spec(
        "hospitality",
        "kitchen",
        ("Line Cook", "Sous Chef", "Kitchen Assistant"),
        ("Cooking", "Food Safety", "Food Service", "Inventory Management"),
        (
            "prepare dishes to our recipes during service",
            "keep the kitchen clean and safe",
            "help with ordering and stock",
        ),
    ),
    Spec(
        "hospitality",
        "front_of_house",
        ("Restaurant Manager", "Waiter", "Bartender"),
        ("Hospitality", "Customer Service", "Bartending", "Cashiering", "Food Service"),
        ("welcome and serve guests", "run the floor during busy services", "handle payments at the till"),
    ),
    Spec(
        "hospitality",
        "hotel",
        ("Front Desk Agent", "Hotel Receptionist", "Housekeeping Supervisor"),
        ("Hospitality", "Customer Service", "Housekeeping", "Scheduling", "Cashiering"),
        ("check guests in and out", "answer guest requests", "coordinate housekeeping"),
    ),
    # --- trades (with the hard negatives "Maintenance Engineer", "Electrical Technician") ---
    Spec(
        "trades",
        "electrician",
        ("Electrician", "Electrical Technician", "Maintenance Electrician"),
        (
            "Electrical Wiring",
            "Blueprint Reading",
            "Occupational Safety",
            "Lockout/Tagout",
            "Preventive Maintenance",
        ),
        (
            "install and repair wiring in commercial buildings",
            "fault-find on lighting and power circuits",
            "work safely to code",
        ),
    ),
    Spec(
        "trades",
        "plumber",
        ("Plumber", "Pipefitter", "Plumbing Technician"),
        ("Plumbing", "Pipefitting", "Blueprint Reading", "Occupational Safety", "HVAC"),
        ("install and repair pipework and fixtures", "respond to service calls", "read drawings on site"),
    ),
    Spec(
        "trades",
        "maintenance",
        ("Maintenance Engineer", "Maintenance Technician", "HVAC Engineer"),
        (
            "Industrial Maintenance",
            "Preventive Maintenance",
            "HVAC",
            "PLC Programming",
            "Welding",
            "Occupational Safety",
        ),
        ("keep production machinery running", "carry out planned maintenance", "respond to breakdowns"),
    ),
    Spec(
        "logistics",
        "inventory_clerk",
        ("Inventory Clerk", "Data Entry Clerk", "Stock Controller"),
        ("Inventory Management", "Data Entry", "Excel", "Attention to Detail", "Shipping and Receiving"),
        (
            "keep stock records accurate",
            "enter deliveries and orders into our system",
            "run weekly stock counts",
        ),
    ),  # "Data", Excel: a hard negative for data analysts
    # --- legal (with the hard negatives "Legal Assistant" vs "Nursing Assistant", HIPAA compliance) ---
    Spec(
        "legal",
        "healthcare_compliance",
        ("Healthcare Compliance Officer", "Compliance Analyst, Health", "Privacy Officer"),
        ("Compliance", "HIPAA", "Legal Research", "Risk Management", "Medical Terminology", "Auditing"),
        (
            "run our HIPAA and privacy programme",
            "audit clinics against regulations",
            "train staff on compliance",
        ),
    ),
    Spec(
        "legal",
        "paralegal",
        ("Paralegal", "Litigation Paralegal", "Legal Assistant"),
        ("Paralegal", "Legal Research", "Litigation", "Contract Law", "Attention to Detail"),
        ("prepare court filings and bundles", "research case law for attorneys", "manage case files"),
    ),
    Spec(
        "legal",
        "contracts",
        ("Contracts Manager", "Commercial Lawyer", "Legal Counsel"),
        ("Contract Law", "Contract Management", "Compliance", "Intellectual Property", "Legal Research"),
        (
            "draft and negotiate commercial contracts",
            "advise the business on risk",
            "run the contract lifecycle",
        ),
    ),
)

RELATED = {
    frozenset({"software", "data"}),
    frozenset({"sales", "marketing"}),
    frozenset({"design", "marketing"}),
    frozenset({"finance", "data"}),
    frozenset({"logistics", "finance"}),
    frozenset({"hospitality", "sales"}),  # retail/customer-facing work
}

COMPANIES = {
    "software": ["Acme Cloud", "Bitforge", "Nimbus Labs", "Quanta Software"],
    "data": ["Insightful", "Datapoint", "Quanta Software", "Numerix"],
    "nursing": ["St. Mary's Hospital", "Riverside Health", "Northview Medical Center", "Sunrise Care Homes"],
    "sales": ["Acme Cloud", "Pipeline Inc", "Salesbridge", "Bitforge"],
    "marketing": ["Brightside Media", "Growthly", "Pipeline Inc"],
    "finance": ["Ledgerly", "Northbank", "Crestwood Partners", "Riverside Health"],
    "logistics": ["FastFreight", "Parcelnet", "Northline Logistics", "Greengrocer Wholesale"],
    "design": ["Studio Kern", "Brightside Media", "Acme Cloud", "Form & Space"],
    "teaching": ["Oakfield Primary School", "City Language Academy", "Westbrook Academy"],
    "hospitality": ["The Grand Hotel", "Olive & Thyme", "Harbour Inn", "Urban Bistro"],
    "trades": ["Sparks Electrical", "Flowright Plumbing", "Apex Manufacturing", "BuildCo"],
    "legal": ["Hale & Partners LLP", "Lexicon Legal", "Northbank", "Crestwood Partners"],
}
CITIES = [
    ("Berlin", "DE"),
    ("London", "GB"),
    ("Austin", "US"),
    ("Toronto", "CA"),
    ("Manchester", "GB"),
    ("Chicago", "US"),
    ("Munich", "DE"),
]
REMOTE_OK = {"software", "data", "design", "marketing", "sales", "finance"}

INTROS = [
    "{company} is hiring a {title} to join our team in {city}.",
    "We are looking for a {title} at {company}.",
    "Join {company} as a {title}.",
    "{company} is growing and needs a {title}.",
]
DUTY = ["You will {duty}.", "In this role you will {duty}.", "Day to day you {duty}."]
REQUIRES = [
    "Requirements: {skills}.",
    "You have experience with {skills}.",
    "We need solid {skills} skills.",
    "Must have: {skills}.",
]
NICE = ["{skills} would be a plus.", "Nice to have: {skills}.", "Bonus points for {skills}."]
# Phrases that look like skills to a careless extractor and are not asked for.
DISTRACTORS = [
    "We go the extra mile for our customers.",
    "You excel at working in a team.",
    "Our office is a short walk from the station.",
    "We are an equal opportunity employer.",
    "You will report to the head of the team.",
]
BENEFITS = [
    "We offer health insurance, a pension and 28 days of paid time off.",
    "Benefits include dental cover, a bonus and flexible hours.",
]
SUMMARIES = {
    "junior": ["Recently qualified {title} eager to learn.", "{title} with {years} years of experience."],
    "mid": ["{title} with {years} years of experience.", "Experienced {title} who cares about quality."],
    "senior": [
        "Senior {title} with {years} years of experience, leading small teams.",
        "{title} with {years}+ years, mentoring others.",
    ],
}
# Resume sentences say what the person achieved in words of their own: none of a posting's duty sentences, so a
# lexical baseline cannot match a resume to a job by copied text.
ACHIEVEMENTS = [
    "was praised for reliability and attention to quality",
    "trained and supported new colleagues",
    "helped the team through a busy period",
    "improved how the team works day to day",
    "took on more responsibility every year",
    "was promoted after my first year",
]
YEARS = {"junior": (0, 2), "mid": (3, 6), "senior": (7, 15)}


@dataclass
class Job:
    id: int
    title: str
    company: str
    occupation: str
    spec: str
    seniority: str
    city: str
    country: str
    remote: str
    skills: list[str]  # what the employer typed in the skills field
    description: str
    truth_skills: list[str]  # canonical names of every skill the text names


@dataclass
class Resume:
    id: int
    occupation: str
    spec: str
    seniority: str
    headline: str
    skills: list[str]  # typed in the profile (as people type them)
    experience_titles: list[str]
    years: int
    city: str
    text: str  # the resume's text
    desired_remote: list[str] = field(default_factory=list)


@dataclass
class EvalSet:
    jobs: list[Job]
    resumes: list[Resume]
    labels: dict[tuple[int, int], int]  # (resume id, job id) -> 0..3; absent = 0

    @property
    def occupations(self) -> list[str]:
        return sorted({spec.occupation for spec in SPECS})


def _written(rng: random.Random, skill: str) -> str:
    return rng.choice(VARIANTS.get(skill, [skill]))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _title(rng: random.Random, spec: Spec, level: str) -> str:
    base = rng.choice(spec.titles)
    if base.startswith(("Senior ", "Lead ", "Junior ")):
        return base
    return rng.choice(LEVEL_PREFIX[level]) + base


def _job(rng: random.Random, job_id: int, spec: Spec) -> Job:
    level = rng.choice(LEVELS)
    title = _title(rng, spec, level)
    company = rng.choice(COMPANIES[spec.occupation])
    city, country = rng.choice(CITIES)
    core = list(spec.skills[:3])
    rest = list(spec.skills[3:])
    rng.shuffle(rest)
    required = core[: rng.randint(2, 3)] + rest[: rng.randint(1, 3)]
    nice = rest[3 : 3 + rng.randint(0, 2)]
    duties = rng.sample(spec.duties, k=2)
    parts = [rng.choice(INTROS).format(company=company, title=title, city=city)]
    parts += [rng.choice(DUTY).format(duty=d) for d in duties]
    parts.append(rng.choice(REQUIRES).format(skills=_join([_written(rng, s) for s in required])))
    if nice:
        parts.append(rng.choice(NICE).format(skills=_join([_written(rng, s) for s in nice])))
    if rng.random() < 0.6:
        parts.append(rng.choice(DISTRACTORS))
    parts.append(rng.choice(BENEFITS))
    lo = rng.randrange(30, 90) * 1000
    parts.append(f"The salary is ${lo:,} to ${lo + 15000:,} per year.")
    remote = rng.choice(["remote", "hybrid", "onsite"]) if spec.occupation in REMOTE_OK else "onsite"
    listed = [s for s in required if rng.random() < 0.5]  # employers fill the skills field unevenly
    return Job(
        id=job_id,
        title=title,
        company=company,
        occupation=spec.occupation,
        spec=spec.name,
        seniority=level,
        city=city,
        country=country,
        remote=remote,
        skills=listed,
        description=" ".join(parts),
        truth_skills=sorted(set(required + nice)),
    )


def _resume(rng: random.Random, resume_id: int, spec: Spec, level: str) -> Resume:
    headline = _title(rng, spec, level).replace("Entry-Level ", "").replace("Graduate ", "Junior ")
    pool = list(spec.skills)
    rng.shuffle(pool)
    typed = [_written(rng, s) for s in pool[: rng.randint(3, 5)]]
    years = rng.randint(*YEARS[level])
    earlier = rng.choice([s for s in SPECS if s.occupation == spec.occupation])
    titles = [headline, rng.choice(earlier.titles)]
    more = pool[5:7]
    summary = rng.choice(SUMMARIES[level]).format(title=headline.removeprefix("Senior "), years=years)
    text = " ".join(
        [
            summary,
            f"Experience: {titles[0]} ({years} years): I {rng.choice(ACHIEVEMENTS)}.",
            f"Before that, {titles[1]}: I {rng.choice(ACHIEVEMENTS)}.",
            f"Also worked with {_join([_written(rng, s) for s in more])}." if more else "",
            f"Skills: {', '.join(typed)}.",
        ]
    )
    city, _country = rng.choice(CITIES)
    return Resume(
        id=resume_id,
        occupation=spec.occupation,
        spec=spec.name,
        seniority=level,
        headline=headline,
        skills=typed,
        experience_titles=titles,
        years=years,
        city=city,
        text=text,
        desired_remote=["remote", "hybrid"] if spec.occupation in REMOTE_OK and rng.random() < 0.5 else [],
    )


def label(resume: Resume, job: Job) -> int:
    if resume.spec == job.spec:
        return 3 if abs(LEVELS.index(resume.seniority) - LEVELS.index(job.seniority)) < 2 else 2
    if resume.occupation == job.occupation:
        return 2
    if frozenset({resume.occupation, job.occupation}) in RELATED:
        return 1
    return 0


def build(*, jobs_per_spec: int = 9, resumes_per_occupation: int = 3) -> EvalSet:
    rng = random.Random(SEED)
    jobs = [_job(rng, n, spec) for n, spec in enumerate((s for s in SPECS for _ in range(jobs_per_spec)), 1)]
    resumes: list[Resume] = []
    by_occupation: dict[str, list[Spec]] = {}
    for spec in SPECS:
        by_occupation.setdefault(spec.occupation, []).append(spec)
    for specs in by_occupation.values():
        for k in range(resumes_per_occupation):
            resumes.append(_resume(rng, len(resumes) + 1, specs[k % len(specs)], LEVELS[k % len(LEVELS)]))
    labels = {(r.id, j.id): g for r in resumes for j in jobs if (g := label(r, j))}
    return EvalSet(jobs=jobs, resumes=resumes, labels=labels)


def main(out: Path) -> None:
    data = build()
    out.mkdir(parents=True, exist_ok=True)
    (out / "jobs.json").write_text(json.dumps([asdict(j) for j in data.jobs], indent=1))
    (out / "resumes.json").write_text(json.dumps([asdict(r) for r in data.resumes], indent=1))
    (out / "labels.json").write_text(json.dumps([[r, j, g] for (r, j), g in sorted(data.labels.items())]))
    print(f"{len(data.resumes)} resumes, {len(data.jobs)} jobs, {len(data.occupations)} occupations -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "generated")

"""Realistic generated job listings for the search benchmark: role families with their own skills and wording,
seniority, a long tail of cities weighted like real job markets, salaries by role, country and seniority.

About a third of all titles contain "engineer" (as the issue's reference measurements assume), most jobs are
full-time and on-site, and a minority show a salary range in another period than a year.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

# (title, family, weight, base yearly salary in USD)
ROLES = [
    ("Software Engineer", "software", 60, 125_000),
    ("Backend Engineer", "software", 35, 130_000),
    ("Frontend Engineer", "software", 28, 120_000),
    ("Full Stack Engineer", "software", 30, 122_000),
    ("DevOps Engineer", "infra", 18, 128_000),
    ("Site Reliability Engineer", "infra", 12, 140_000),
    ("Platform Engineer", "infra", 10, 138_000),
    ("Data Engineer", "data", 18, 132_000),
    ("Machine Learning Engineer", "data", 14, 150_000),
    ("Mobile Engineer", "mobile", 10, 125_000),
    ("iOS Engineer", "mobile", 6, 128_000),
    ("Android Engineer", "mobile", 6, 126_000),
    ("QA Engineer", "software", 10, 95_000),
    ("Security Engineer", "infra", 8, 145_000),
    ("Embedded Software Engineer", "embedded", 7, 120_000),
    ("Mechanical Engineer", "mech", 12, 95_000),
    ("Electrical Engineer", "mech", 10, 98_000),
    ("Civil Engineer", "mech", 9, 90_000),
    ("Chemical Engineer", "mech", 4, 100_000),
    ("Data Scientist", "data", 14, 135_000),
    ("Data Analyst", "data", 16, 85_000),
    ("Product Manager", "product", 16, 140_000),
    ("Product Designer", "design", 10, 115_000),
    ("UX Researcher", "design", 5, 110_000),
    ("Graphic Designer", "design", 7, 65_000),
    ("Engineering Manager", "software", 8, 175_000),
    ("Solutions Architect", "infra", 6, 150_000),
    ("IT Support Specialist", "it", 12, 60_000),
    ("Database Administrator", "it", 5, 105_000),
    ("Registered Nurse", "health", 30, 82_000),
    ("Medical Assistant", "health", 14, 42_000),
    ("Pharmacist", "health", 6, 128_000),
    ("Physical Therapist", "health", 6, 92_000),
    ("Accountant", "finance", 16, 72_000),
    ("Financial Analyst", "finance", 12, 85_000),
    ("Controller", "finance", 4, 130_000),
    ("Sales Representative", "sales", 24, 60_000),
    ("Account Executive", "sales", 20, 95_000),
    ("Sales Development Representative", "sales", 14, 55_000),
    ("Customer Success Manager", "sales", 12, 80_000),
    ("Customer Support Specialist", "support", 18, 45_000),
    ("Marketing Manager", "marketing", 12, 105_000),
    ("Content Writer", "marketing", 8, 60_000),
    ("SEO Specialist", "marketing", 5, 65_000),
    ("Recruiter", "people", 10, 70_000),
    ("HR Generalist", "people", 8, 65_000),
    ("Office Manager", "ops", 8, 55_000),
    ("Project Manager", "ops", 14, 95_000),
    ("Operations Manager", "ops", 10, 90_000),
    ("Supply Chain Analyst", "ops", 7, 75_000),
    ("Warehouse Associate", "logistics", 22, 36_000),
    ("Forklift Operator", "logistics", 8, 40_000),
    ("Delivery Driver", "logistics", 18, 42_000),
    ("Electrician", "trades", 9, 62_000),
    ("Legal Counsel", "legal", 5, 160_000),
    ("Paralegal", "legal", 5, 58_000),
    ("Teacher", "education", 10, 55_000),
    ("Chef", "hospitality", 8, 52_000),
    ("Barista", "hospitality", 8, 30_000),
    ("Retail Associate", "retail", 16, 32_000),
    ("Store Manager", "retail", 7, 60_000),
]

SKILLS = {
    "software": [
        "Python",
        "Django",
        "Go",
        "Java",
        "Kotlin",
        "TypeScript",
        "JavaScript",
        "React",
        "Vue",
        "Node.js",
        "PostgreSQL",
        "Redis",
        "GraphQL",
        "REST",
        "Docker",
        "Kubernetes",
        "AWS",
        "Rust",
        "C#",
        ".NET",
        "Ruby",
        "Rails",
        "Scala",
        "Elixir",
        "PHP",
        "Laravel",
        "Git",
        "CI/CD",
        "gRPC",
        "Kafka",
    ],
    "infra": [
        "Kubernetes",
        "Terraform",
        "AWS",
        "GCP",
        "Azure",
        "Linux",
        "Prometheus",
        "Grafana",
        "Ansible",
        "Docker",
        "Go",
        "Python",
        "Bash",
        "Networking",
        "Helm",
        "Observability",
        "Incident response",
    ],
    "data": [
        "Python",
        "SQL",
        "Spark",
        "Airflow",
        "dbt",
        "Snowflake",
        "BigQuery",
        "Pandas",
        "PyTorch",
        "TensorFlow",
        "scikit-learn",
        "Statistics",
        "Tableau",
        "Looker",
        "Machine learning",
        "Kafka",
        "R",
    ],
    "mobile": [
        "Swift",
        "SwiftUI",
        "Kotlin",
        "Jetpack Compose",
        "React Native",
        "Flutter",
        "iOS",
        "Android",
        "Objective-C",
        "Firebase",
        "GraphQL",
    ],
    "embedded": ["C", "C++", "RTOS", "ARM", "Embedded Linux", "FPGA", "Python", "Firmware", "I2C", "CAN bus"],
    "mech": [
        "AutoCAD",
        "SolidWorks",
        "MATLAB",
        "FEA",
        "CAD",
        "PLC",
        "Project management",
        "GD&T",
        "Revit",
        "Six Sigma",
        "HVAC",
        "Power systems",
    ],
    "product": [
        "Roadmapping",
        "Analytics",
        "SQL",
        "User research",
        "Agile",
        "Jira",
        "Stakeholder management",
        "A/B testing",
        "B2B SaaS",
        "Pricing",
    ],
    "design": [
        "Figma",
        "Sketch",
        "Prototyping",
        "User research",
        "Design systems",
        "Adobe Creative Suite",
        "Illustrator",
        "Photoshop",
        "Accessibility",
        "Typography",
    ],
    "it": [
        "Windows",
        "Active Directory",
        "Office 365",
        "Networking",
        "Linux",
        "SQL Server",
        "Oracle",
        "PostgreSQL",
        "Backups",
        "ITIL",
        "Helpdesk",
    ],
    "health": [
        "Patient care",
        "BLS",
        "ACLS",
        "EHR",
        "Epic",
        "Phlebotomy",
        "Medication administration",
        "Triage",
        "Pediatrics",
        "ICU",
        "Rehabilitation",
    ],
    "finance": [
        "Excel",
        "GAAP",
        "IFRS",
        "QuickBooks",
        "SAP",
        "NetSuite",
        "Financial modeling",
        "Forecasting",
        "Audit",
        "Tax",
        "Power BI",
    ],
    "sales": [
        "Salesforce",
        "HubSpot",
        "Negotiation",
        "Cold calling",
        "Pipeline management",
        "B2B sales",
        "SaaS",
        "Account management",
        "Closing",
        "CRM",
    ],
    "support": [
        "Zendesk",
        "Intercom",
        "Customer service",
        "Troubleshooting",
        "Communication",
        "CRM",
        "Ticketing",
        "Spanish",
        "German",
    ],
    "marketing": [
        "SEO",
        "SEM",
        "Google Analytics",
        "Content strategy",
        "Copywriting",
        "HubSpot",
        "Social media",
        "Email marketing",
        "Brand",
        "Paid ads",
    ],
    "people": [
        "Recruiting",
        "Sourcing",
        "Greenhouse",
        "Workday",
        "Onboarding",
        "Employee relations",
        "Payroll",
        "Compensation",
    ],
    "ops": [
        "Project management",
        "Excel",
        "Logistics",
        "Lean",
        "Budgeting",
        "Vendor management",
        "ERP",
        "Scheduling",
        "Procurement",
        "Jira",
    ],
    "logistics": [
        "Forklift certification",
        "Inventory",
        "Picking and packing",
        "Shipping",
        "Receiving",
        "Driver's license",
        "Safety",
        "Warehouse management",
    ],
    "trades": [
        "Electrical wiring",
        "Blueprints",
        "NEC",
        "Troubleshooting",
        "Conduit",
        "Safety",
        "Journeyman",
    ],
    "legal": ["Contracts", "Compliance", "Litigation", "Corporate law", "GDPR", "Legal research", "Drafting"],
    "education": [
        "Curriculum design",
        "Classroom management",
        "Lesson planning",
        "Special education",
        "STEM",
        "Teaching certification",
    ],
    "hospitality": [
        "Food safety",
        "Menu planning",
        "Espresso",
        "Customer service",
        "Inventory",
        "Cash handling",
    ],
    "retail": ["Customer service", "Cash handling", "Merchandising", "Inventory", "Sales", "Team leadership"],
}

# Sentences per family; `{skill}` and `{skill2}` are filled from the job's own skills.
SENTENCES = {
    "software": [
        "You will design, build and operate services used by millions of customers every day.",
        "Our stack is {skill} and {skill2}, deployed many times a day with automated tests.",
        "You care about clean code, code review and shipping small changes often.",
        "You will own features end to end, from the first design document to production monitoring.",
        "Experience with distributed systems and API design is a strong plus.",
        "We pair on hard problems and write down decisions so the whole team can follow them.",
    ],
    "infra": [
        "You will run the platform every engineering team builds on: clusters, pipelines and observability.",
        "We manage infrastructure as code with {skill} and expect strong {skill2} experience.",
        "You will be part of a fair on-call rotation and lead blameless incident reviews.",
        "Reliability, cost and security are your daily trade-offs.",
    ],
    "data": [
        "You will turn raw events into trustworthy datasets and models the business relies on.",
        "We work with {skill} and {skill2} on a modern data platform.",
        "You will partner with product teams to design experiments and measure their impact.",
        "Strong statistics and clear communication matter as much as code.",
    ],
    "mobile": [
        "You will build the mobile apps our customers open every day, with a focus on speed and accessibility.",
        "Our apps are written in {skill}; experience with {skill2} helps.",
        "You will ship weekly releases and care about crash-free sessions.",
    ],
    "embedded": [
        "You will write firmware for devices that run in factories, vehicles and homes.",
        "Daily work involves {skill}, {skill2} and a lot of time with an oscilloscope.",
        "You understand the constraints of memory, power and real-time deadlines.",
    ],
    "mech": [
        "You will design and test components from concept to manufacturing.",
        "Proficiency in {skill} and {skill2} is required.",
        "You will work with suppliers, production and quality teams on site.",
        "Professional engineering licensure is a plus.",
    ],
    "product": [
        "You will decide what we build next and why, together with engineering and design.",
        "You are comfortable with {skill} and {skill2} and talk to customers every week.",
        "You turn ambiguous problems into clear, measurable goals.",
    ],
    "design": [
        "You will shape how customers experience our product, from research to polished interfaces.",
        "We work in {skill} and maintain a shared design system.",
        "A portfolio that shows your process is required.",
    ],
    "it": [
        "You will keep our people productive: laptops, accounts, networks and the help desk.",
        "Experience with {skill} and {skill2} is expected.",
        "You explain technical problems patiently to non-technical colleagues.",
    ],
    "health": [
        "You will provide compassionate, high-quality care to patients and their families.",
        "Current licensure and {skill} certification are required; {skill2} experience is preferred.",
        "Day, night and weekend shifts are available with shift differentials.",
        "Join a supportive team in a modern facility with excellent nurse-to-patient ratios.",
    ],
    "finance": [
        "You will own month-end close, reporting and analysis for a growing business.",
        "Strong {skill} skills and knowledge of {skill2} are required.",
        "You enjoy turning numbers into recommendations leaders can act on.",
    ],
    "sales": [
        "You will build relationships with new customers and grow existing accounts.",
        "Experience with {skill} and a track record of beating quota are expected.",
        "Uncapped commission, accelerators and a supportive sales team.",
        "You are curious, resilient and great at listening.",
    ],
    "support": [
        "You will help customers by email, chat and phone and make every conversation count.",
        "We use {skill}; {skill2} is a plus.",
        "You will turn customer feedback into product improvements.",
    ],
    "marketing": [
        "You will plan and run campaigns that bring the right customers to us.",
        "Hands-on experience with {skill} and {skill2} is required.",
        "You measure everything and share what you learn.",
    ],
    "people": [
        "You will help us hire and keep great people.",
        "Experience with {skill} and {skill2} is expected.",
        "You are a trusted partner to managers and employees alike.",
    ],
    "ops": [
        "You will keep projects and operations on time and on budget.",
        "You are fluent in {skill} and have experience with {skill2}.",
        "You coordinate many teams and communicate clearly under pressure.",
    ],
    "logistics": [
        "You will receive, store, pick and ship orders in a fast-paced warehouse.",
        "{skill} is a plus; we provide paid training and safety equipment.",
        "Full-time and part-time shifts, weekly pay and overtime available.",
    ],
    "trades": [
        "You will install, maintain and repair electrical systems in commercial buildings.",
        "Knowledge of {skill} and {skill2} is required.",
        "Company vehicle, tools and a steady pipeline of projects.",
    ],
    "legal": [
        "You will advise the business on contracts, compliance and risk.",
        "Experience with {skill} and {skill2} is required.",
        "You write clearly and give practical advice.",
    ],
    "education": [
        "You will teach and inspire students in a collaborative school community.",
        "Experience with {skill} is valued; {skill2} is a plus.",
        "Small class sizes and strong support for professional development.",
    ],
    "hospitality": [
        "You will prepare great food and drinks and keep guests coming back.",
        "Knowledge of {skill} and {skill2} is expected.",
        "Flexible scheduling, staff meals and tips.",
    ],
    "retail": [
        "You will help customers find what they need and keep the store looking its best.",
        "Experience with {skill} and {skill2} is a plus.",
        "Employee discount, flexible hours and opportunities to grow into management.",
    ],
}
GENERIC = [
    "We offer competitive pay, health insurance and a generous retirement plan.",
    "We are an equal opportunity employer and value diversity at every level.",
    "You will join a friendly team that values ownership, kindness and learning.",
    "We support professional development with a yearly learning budget.",
    "Flexible working hours and paid parental leave are part of the package.",
    "Our interview process is short: a call, a practical exercise and a conversation with the team.",
]

SENIORITY = [
    ("", 40, 1.0),
    ("Senior ", 25, 1.3),
    ("Junior ", 10, 0.7),
    ("Lead ", 8, 1.45),
    ("Staff ", 5, 1.6),
    ("Principal ", 2, 1.8),
    ("Associate ", 10, 0.8),
]

# (city, region, country, weight, salary factor)
CITIES = [
    ("New York", "NY", "US", 60, 1.15),
    ("San Francisco", "CA", "US", 45, 1.25),
    ("Seattle", "WA", "US", 30, 1.15),
    ("Austin", "TX", "US", 25, 1.0),
    ("Boston", "MA", "US", 25, 1.1),
    ("Chicago", "IL", "US", 30, 1.0),
    ("Los Angeles", "CA", "US", 35, 1.1),
    ("Denver", "CO", "US", 15, 1.0),
    ("Atlanta", "GA", "US", 18, 0.95),
    ("Dallas", "TX", "US", 20, 0.95),
    ("Houston", "TX", "US", 18, 0.95),
    ("Miami", "FL", "US", 12, 0.95),
    ("Phoenix", "AZ", "US", 12, 0.9),
    ("Philadelphia", "PA", "US", 14, 0.95),
    ("San Diego", "CA", "US", 12, 1.05),
    ("Portland", "OR", "US", 10, 1.0),
    ("Minneapolis", "MN", "US", 9, 0.95),
    ("Raleigh", "NC", "US", 9, 0.95),
    ("Nashville", "TN", "US", 8, 0.9),
    ("Salt Lake City", "UT", "US", 7, 0.9),
    ("Pittsburgh", "PA", "US", 7, 0.9),
    ("Columbus", "OH", "US", 7, 0.88),
    ("Detroit", "MI", "US", 7, 0.88),
    ("Charlotte", "NC", "US", 8, 0.92),
    ("Toronto", "ON", "CA", 25, 0.85),
    ("Vancouver", "BC", "CA", 15, 0.85),
    ("Montreal", "QC", "CA", 12, 0.8),
    ("Calgary", "AB", "CA", 6, 0.85),
    ("Ottawa", "ON", "CA", 5, 0.8),
    ("London", "England", "GB", 50, 0.85),
    ("Manchester", "England", "GB", 12, 0.7),
    ("Edinburgh", "Scotland", "GB", 8, 0.72),
    ("Bristol", "England", "GB", 6, 0.72),
    ("Birmingham", "England", "GB", 7, 0.68),
    ("Dublin", "Leinster", "IE", 18, 0.85),
    ("Berlin", "Berlin", "DE", 35, 0.75),
    ("Munich", "Bavaria", "DE", 22, 0.82),
    ("Hamburg", "Hamburg", "DE", 14, 0.76),
    ("Frankfurt", "Hesse", "DE", 12, 0.8),
    ("Cologne", "North Rhine-Westphalia", "DE", 8, 0.74),
    ("Stuttgart", "Baden-Wurttemberg", "DE", 7, 0.78),
    ("Amsterdam", "North Holland", "NL", 25, 0.8),
    ("Rotterdam", "South Holland", "NL", 7, 0.72),
    ("Paris", "Ile-de-France", "FR", 35, 0.72),
    ("Lyon", "Auvergne-Rhone-Alpes", "FR", 8, 0.62),
    ("Madrid", "Madrid", "ES", 18, 0.55),
    ("Barcelona", "Catalonia", "ES", 18, 0.55),
    ("Lisbon", "Lisbon", "PT", 12, 0.45),
    ("Porto", "Porto", "PT", 5, 0.42),
    ("Milan", "Lombardy", "IT", 12, 0.6),
    ("Rome", "Lazio", "IT", 8, 0.55),
    ("Zurich", "Zurich", "CH", 12, 1.15),
    ("Geneva", "Geneva", "CH", 6, 1.1),
    ("Vienna", "Vienna", "AT", 9, 0.7),
    ("Stockholm", "Stockholm", "SE", 12, 0.75),
    ("Copenhagen", "Capital Region", "DK", 9, 0.8),
    ("Oslo", "Oslo", "NO", 7, 0.85),
    ("Helsinki", "Uusimaa", "FI", 6, 0.7),
    ("Warsaw", "Masovia", "PL", 14, 0.45),
    ("Krakow", "Lesser Poland", "PL", 8, 0.42),
    ("Prague", "Prague", "CZ", 9, 0.45),
    ("Budapest", "Budapest", "HU", 6, 0.4),
    ("Bucharest", "Bucharest", "RO", 6, 0.38),
    ("Athens", "Attica", "GR", 5, 0.4),
    ("Brussels", "Brussels", "BE", 8, 0.72),
    ("Tel Aviv", "Tel Aviv", "IL", 10, 0.85),
    ("Dubai", "Dubai", "AE", 10, 0.9),
    ("Bangalore", "Karnataka", "IN", 30, 0.25),
    ("Hyderabad", "Telangana", "IN", 15, 0.23),
    ("Pune", "Maharashtra", "IN", 12, 0.22),
    ("Mumbai", "Maharashtra", "IN", 14, 0.24),
    ("Delhi", "Delhi", "IN", 12, 0.22),
    ("Singapore", "Singapore", "SG", 20, 0.85),
    ("Tokyo", "Tokyo", "JP", 18, 0.65),
    ("Seoul", "Seoul", "KR", 10, 0.6),
    ("Sydney", "NSW", "AU", 18, 0.85),
    ("Melbourne", "VIC", "AU", 14, 0.82),
    ("Brisbane", "QLD", "AU", 6, 0.78),
    ("Auckland", "Auckland", "NZ", 6, 0.7),
    ("Sao Paulo", "SP", "BR", 14, 0.3),
    ("Mexico City", "CDMX", "MX", 12, 0.3),
    ("Buenos Aires", "Buenos Aires", "AR", 8, 0.25),
    ("Bogota", "Bogota", "CO", 6, 0.25),
    ("Santiago", "RM", "CL", 5, 0.3),
    ("Cape Town", "Western Cape", "ZA", 5, 0.3),
    ("Lagos", "Lagos", "NG", 5, 0.2),
    ("Nairobi", "Nairobi", "KE", 4, 0.2),
]
CURRENCY = {
    "US": "USD",
    "CA": "CAD",
    "GB": "GBP",
    "IE": "EUR",
    "DE": "EUR",
    "NL": "EUR",
    "FR": "EUR",
    "ES": "EUR",
    "PT": "EUR",
    "IT": "EUR",
    "AT": "EUR",
    "BE": "EUR",
    "FI": "EUR",
    "GR": "EUR",
    "CH": "CHF",
    "SE": "SEK",
    "DK": "DKK",
    "NO": "NOK",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "IL": "ILS",
    "AE": "AED",
    "IN": "INR",
    "SG": "SGD",
    "JP": "JPY",
    "KR": "KRW",
    "AU": "AUD",
    "NZ": "NZD",
    "BR": "BRL",
    "MX": "MXN",
    "AR": "ARS",
    "CO": "COP",
    "CL": "CLP",
    "ZA": "ZAR",
    "NG": "NGN",
    "KE": "KES",
}

JOB_TYPES = [("full_time", 80), ("part_time", 7), ("contract", 8), ("internship", 3), ("temporary", 2)]
REMOTE = [("onsite", 60), ("hybrid", 25), ("remote", 15)]
DEPARTMENTS = {
    "software": "Engineering",
    "infra": "Engineering",
    "data": "Data",
    "mobile": "Engineering",
    "embedded": "Hardware",
    "mech": "Engineering",
    "product": "Product",
    "design": "Design",
    "it": "IT",
    "health": "Clinical",
    "finance": "Finance",
    "sales": "Sales",
    "support": "Customer Support",
    "marketing": "Marketing",
    "people": "People",
    "ops": "Operations",
    "logistics": "Operations",
    "trades": "Facilities",
    "legal": "Legal",
    "education": "Education",
    "hospitality": "Kitchen",
    "retail": "Stores",
}
COMPANY_FIRST = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Aperture",
    "Black Mesa",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Gringotts",
    "Pied Piper",
    "Massive Dynamic",
    "Oscorp",
    "Nakatomi",
    "Monarch",
    "Blue Sun",
    "Virtucon",
    "Sterling",
    "Dunder",
    "Prestige",
    "Bluth",
    "Gekko",
    "Rekall",
    "Weyland",
    "Polar",
    "Cedar",
    "Harbor",
    "Summit",
    "Evergreen",
    "Lumen",
    "Atlas",
    "Beacon",
]
COMPANY_SECOND = [
    "Labs",
    "Health",
    "Logistics",
    "Energy",
    "Robotics",
    "Software",
    "Foods",
    "Retail",
    "Capital",
    "Systems",
    "Analytics",
    "Networks",
    "Studios",
    "Partners",
    "Industries",
    "Hospitality",
    "Bank",
    "Clinics",
    "Motors",
    "Learning",
    "Cloud",
]
FEEDS = ["partner-feed", "public-sector", "staffing-network"]
SALARY_SHOWN = 0.7


@dataclass(frozen=True)
class Company:
    tenant_id: int | None
    name: str
    slug: str
    families: tuple  # what this employer mostly hires for


def _cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class ListingGenerator:
    """Deterministic for a given seed, so every run benchmarks the same data."""

    def __init__(self, seed: int = 42):
        self.random = random.Random(seed)
        self.role_cum = _cumulative([r[2] for r in ROLES])
        self.city_cum = _cumulative([c[3] for c in CITIES])
        self.seniority_cum = _cumulative([s[1] for s in SENIORITY])
        self.job_type_cum = _cumulative([j[1] for j in JOB_TYPES])
        self.remote_cum = _cumulative([r[1] for r in REMOTE])
        self.roles_by_family = {}
        for index, role in enumerate(ROLES):
            self.roles_by_family.setdefault(role[1], []).append(index)

    def companies(self, count: int) -> list[Company]:
        rnd, families = self.random, list(SKILLS)
        out = []
        for number in range(1, count + 1):
            name = f"{rnd.choice(COMPANY_FIRST)} {rnd.choice(COMPANY_SECOND)}"
            name = f"{name} {number}" if number > 100 else name
            slug = f"co-{number:04d}"
            out.append(Company(number, name, slug, tuple(rnd.sample(families, 3))))
        return out

    def listing(self, company: Company | None, now: datetime, published_at: datetime) -> dict:
        rnd = self.random
        if company is not None and rnd.random() < 0.7:
            role = ROLES[rnd.choice(self.roles_by_family[rnd.choice(company.families)])]
        else:
            role = rnd.choices(ROLES, cum_weights=self.role_cum)[0]
        title_base, family, _, base_salary = role
        prefix, _, level = rnd.choices(SENIORITY, cum_weights=self.seniority_cum)[0]
        title = f"{prefix}{title_base}"
        if rnd.random() < 0.15:
            title = f"{title}, {rnd.choice(SKILLS[family])}"
        skills = rnd.sample(SKILLS[family], min(len(SKILLS[family]), rnd.randint(3, 7)))
        city, region, country, _, factor = rnd.choices(CITIES, cum_weights=self.city_cum)[0]
        job_type = rnd.choices(JOB_TYPES, cum_weights=self.job_type_cum)[0][0]
        remote = rnd.choices(REMOTE, cum_weights=self.remote_cum)[0][0]

        sentences = rnd.sample(SENTENCES[family], min(3, len(SENTENCES[family])))
        sentences = [s.format(skill=skills[0], skill2=skills[1]) for s in sentences]
        sentences += rnd.sample(GENERIC, 2)
        intro = (
            f"{company.name if company else 'We'} {'is' if company else 'are'} hiring a {title} in {city}."
        )
        requirements = [f"Experience with {skill}." for skill in skills[:3]]
        body_text = " ".join([intro, *sentences, *requirements])
        description_html = "".join(f"<p>{s}</p>" for s in [intro, *sentences])
        requirements_html = "<ul>" + "".join(f"<li>{r}</li>" for r in requirements) + "</ul>"

        salary = {
            "salary_min": None,
            "salary_max": None,
            "salary_currency": "",
            "salary_period": "",
            "salary_annual_min": None,
            "salary_annual_max": None,
        }
        if rnd.random() < SALARY_SHOWN:
            yearly = base_salary * level * factor * rnd.uniform(0.85, 1.15)
            low, high = int(yearly * 0.9 / 1000) * 1000, int(yearly * 1.15 / 1000) * 1000
            period, divisor = ("year", 1)
            if job_type in ("part_time", "temporary", "contract") and rnd.random() < 0.6:
                period, divisor = ("hour", 2080)
            salary = {
                "salary_min": max(1, low // divisor),
                "salary_max": max(1, high // divisor),
                "salary_currency": CURRENCY[country] if rnd.random() < 0.8 else "USD",
                "salary_period": period,
                "salary_annual_min": max(1, low // divisor) * divisor,
                "salary_annual_max": max(1, high // divisor) * divisor,
            }
        department = DEPARTMENTS[family]
        tags = rnd.sample(
            [
                "visa sponsorship",
                "equity",
                "4-day week",
                "relocation",
                "no degree required",
                "urgent",
                "benefits",
                "training provided",
                "remote-first",
                "startup",
            ],
            rnd.randint(0, 2),
        )
        return {
            "public_id": uuid.UUID(int=rnd.getrandbits(128), version=4),
            "title": title,
            "slug": title.lower().replace(" ", "-").replace(",", "")[:70],
            "department": department,
            "job_type": job_type,
            "remote": remote,
            "city": city,
            "region": region,
            "country": country,
            "location_text": f"{city}, {region}, {country}",
            "location_keys": [city.lower(), region.lower(), country.lower()],
            "applicant_countries": [country] if remote == "remote" and rnd.random() < 0.5 else [],
            "skills": skills,
            "skill_keys": [s.lower() for s in skills],
            "tags": tags,
            "keywords": " ".join([*skills, *tags, department]),
            "summary": body_text[:277] + "…",
            "body_text": body_text,
            "description_html": description_html,
            "requirements_html": requirements_html,
            "benefits_html": "<p>" + GENERIC[0] + "</p>",
            "published_at": published_at,
            "expires_at": now + timedelta(days=rnd.randint(1, 60)),
            "is_featured": rnd.random() < 0.02,
            **salary,
        }

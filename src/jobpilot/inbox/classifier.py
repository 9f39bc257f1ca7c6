"""What a recruiting email is about, from weighted phrases (English, German, some French and Spanish).

Transparent on purpose: the seeker is shown which phrases decided, and a wrong call is fixed by editing a
list, not by retraining. Each phrase is a regular expression over the lower-cased subject and body; a phrase in
the subject counts `SUBJECT_WEIGHT` times. The category with the highest total wins when it reaches
`MIN_SCORE`; otherwise the message is "other". Weights encode precedence where mails overlap: a rejection
usually thanks you for applying (receipt) and mentions interviews, so its phrases weigh more; an interview
invitation often says "thank you for your application" too.

`bench/inbox_classifier.py` prints per-class precision and recall on the labelled set in tests/inbox/.
"""

import re
from dataclasses import dataclass

from jobpilot.inbox.models import Category

SUBJECT_WEIGHT = 1.5
MIN_SCORE = 2.0
BODY_CHARS = 6_000  # the decision is in the first screens; quoted threads below would only add noise

_PHRASES: dict[str, list[tuple[str, float]]] = {
    Category.REJECTION: [
        # English
        (r"\bunfortunately\b", 2.0),
        (r"\bregret to (inform|let you know|tell you)\b", 4.0),
        (r"\b(decided|chosen|decision) (not )?to (move|proceed|go) forward with other candidates\b", 4.0),
        (r"\bnot (be )?(moving|move|proceeding|proceed|going) forward\b", 3.5),
        (r"\b(decided|decision) not to (proceed|continue|move ahead)\b", 4.0),
        (r"\bdecided to (pursue|proceed with|move forward with) other\b", 4.0),
        (r"\b(pursue|pursuing) other candidates\b", 3.5),
        (r"\bnot (been )?(selected|shortlisted|successful)\b", 3.5),
        (r"\bwill not be (progressing|pursuing|considering)\b", 3.5),
        (r"\bposition has (been filled|now been filled)\b", 3.0),
        (r"\bmore closely (match|matches|align)\b", 2.0),
        (r"\bkeep your (resume|cv|details|profile) on file\b", 1.5),
        (r"\bwish you (the best|all the best|every success|success|luck)\b", 1.5),
        (r"\bafter careful (consideration|review)\b", 1.5),
        (r"\bno longer (being )?consider", 3.0),
        (r"\bregrettably\b", 2.0),
        (r"\bunable to (offer you|move forward|proceed|progress)\b", 3.5),
        (r"\b(move|moving) ahead with (other )?(candidates|applicants)\b", 3.5),
        (
            r"\b(chosen|decided|opted) to (pursue|proceed with|go with|continue with) (other|another|a different|applicants|candidates)\b",
            4.0,
        ),
        (r"\b(candidates|applicants) (whose|who) .{0,60}(better|more closely)\b", 2.5),
        (r"\b(application|candidacy) (status|update)\b", 0.5),
        # German
        (r"\bleider\b", 2.0),
        (r"\babsage\b", 3.5),
        (r"\bnicht (weiter )?berücksichtigen\b", 4.0),
        (r"\bnicht in die engere wahl\b", 4.0),
        (r"\bfür (eine |einen )?(andere|anderen) (kandidat|bewerber)", 4.0),
        (r"\b(prozess|bewerbungsprozess|verfahren) (mit (dir|ihnen) )?nicht (weiter )?fortsetzen\b", 4.0),
        (r"\bnicht (weiter )?fortsetzen\b", 3.0),
        (r"\bgegen sie entschieden\b", 4.0),
        (r"\bmüssen wir ihnen (mitteilen|absagen)\b", 3.0),
        (r"\bviel erfolg\b", 1.5),
        (r"\balles gute für ihre? (berufliche )?(zukunft|weitere)", 1.5),
        # French / Spanish
        (r"\bmalheureusement\b", 2.0),
        (r"\bpas (été )?retenue?\b", 4.0),
        (r"\bdonner suite\b", 3.0),
        (r"\bno (podemos|vamos a) (continuar|seguir)\b", 3.5),
        (r"\blamentablemente\b", 2.0),
        (r"\bno (ha sido|has sido) seleccionad[oa]\b", 4.0),
    ],
    Category.OFFER: [
        (r"\b(pleased|delighted|happy|excited|thrilled) to (extend|make|offer)\b", 4.0),
        (r"\b(extend|extending|make|making) (you )?(an|a formal|a written|our) offer\b", 4.0),
        (r"\boffer (letter|of employment)\b", 4.0),
        (r"\bjob offer\b", 3.0),
        (r"\b(your|the) offer\b", 1.5),
        (r"\bcompensation package\b", 1.5),
        (r"\bstart date\b", 1.5),
        (r"\bsign (the|your) (offer|contract)\b", 2.5),
        (r"\bwelcome (to the team|aboard)\b", 2.5),
        (r"\b(employment|job) (agreement|contract)\b", 3.0),
        (r"\b(love|like) to have you (join|on board|aboard)\b", 3.0),
        (r"\bstellenangebot\b", 1.0),
        (r"\b(vertragsangebot|arbeitsvertrag)\b", 3.5),
        (r"\bzusage\b", 3.5),
        (r"\b(ihnen|dir) (ein )?angebot\b", 3.0),
        (r"\bangebot (als|für die (position|stelle)) .{0,60}(machen|unterbreiten)\b", 3.5),
        (r"\b(dein|ihr) angebot\b", 2.0),
        (r"\bfreuen uns,? ihnen (die stelle|ein angebot|mitteilen zu können, dass wir ihnen)", 4.0),
        (r"\beintrittsdatum\b", 1.5),
        (r"\boffre d'emploi\b", 1.0),
        (r"\bpromesse d'embauche\b", 4.0),
        (r"\boferta (de empleo|laboral|de trabajo)\b", 3.0),
    ],
    Category.ASSESSMENT: [
        (r"\b(online |technical |skills? |coding )?assessment\b", 2.5),
        (r"\bcoding (challenge|exercise|test)\b", 3.5),
        (r"\btake[- ]home (assignment|exercise|challenge|task|test)\b", 3.5),
        (r"\b(hackerrank|codility|codesignal|testgorilla|hirevue|coderpad|devskiller|codingame)\b", 3.0),
        (r"\b(aptitude|personality|cognitive|psychometric) test\b", 3.0),
        (r"\bcase study\b", 2.0),
        (r"\bcomplete (the|this|our|an?) (test|task|assignment|challenge|exercise|questionnaire)\b", 2.5),
        (r"\bwithin (\d+|seven|five|three) (days|hours)\b", 0.5),
        (
            r"\b(eignungstest|einstufungstest|online-test|onlinetest|testaufgabe|fallstudie|probeaufgabe)\b",
            3.5,
        ),
        (r"\b(programmieraufgabe|coding-aufgabe)\b", 3.5),
        (r"\bprueba técnica\b", 3.5),
        (r"\btest technique\b", 3.5),
    ],
    Category.INTERVIEW: [
        (r"\binvit(e|ing) you (to|for) (an?|the|our)? ?(\w+ )?(interview|call|conversation|chat)\b", 4.0),
        (r"\b(phone|video|first|initial|technical|final|onsite|on-site|second) (interview|screen)\b", 2.5),
        (r"\binterview invitation\b", 4.0),
        (r"\b(upcoming|your|the) (\w+ )?interview (details|with|on|is|has been)\b", 2.5),
        (r"\b(panel|behavioral|behavioural|hiring manager|culture|technical) interview\b", 2.5),
        (r"\b(would|'d) (love|like) to (meet|talk|speak|chat)\b", 2.5),
        (r"\b(pick|choose|select) a (slot|time|date)\b", 2.0),
        (r"\bscheduling link\b", 2.0),
        (
            r"\b(schedule|book|arrange|set up) (a|an|your|the)? ?(\w+ )?(interview|call|time|meeting|chat)\b",
            3.0,
        ),
        (r"\b(your|share your|let us know your) availability\b", 2.5),
        (r"\b(calendly\.com|goodtime\.io|cal\.com|meetings\.hubspot)\b", 2.5),
        (r"\bnext (step|round|stage)\b", 1.0),
        (r"\bspeak with you\b", 1.5),
        (r"\b(video|phone|teams|zoom) (call|invite)\b", 1.5),
        (r"\binterview\b", 1.0),
        (
            r"\b(vorstellungsgespräch|bewerbungsgespräch|kennenlerngespräch|telefoninterview|videointerview)\b",
            3.5,
        ),
        (r"\beinladung\b", 1.5),
        (r"\bgerne (persönlich )?kennenlernen\b", 3.0),
        (r"\b(zweites|erstes|persönliches|weiteres) gespräch\b", 3.0),
        (r"\bgespräch (mit .{0,40})?(vereinbaren|führen)\b", 2.5),
        (r"\b(wann|welcher termin) passt (es )?(dir|ihnen)\b", 2.0),
        (r"\b(termin|terminvorschlag|terminvorschläge)\b", 1.5),
        (r"\bentretien\b", 3.0),
        (r"\bentrevista\b", 3.0),
    ],
    Category.RECEIPT: [
        (r"\b(we have|we've|we) received your application\b", 3.0),
        (r"\bthank(s| you) for (your application|applying|your interest)\b", 2.0),
        (r"\bapplication (has been )?(received|submitted)\b", 2.5),
        (r"\bsuccessfully (submitted|applied|received)\b", 2.5),
        (r"\byour application (for .{0,80} )?is in\b", 3.0),
        (r"\b(you'll|we'll|you will|we will) (hear|get) back (to|from) (you|us)\b", 1.0),
        (r"\bconfirms? (that )?we (have )?received\b", 3.0),
        (r"\bbestätigen (hiermit )?den eingang\b", 4.0),
        (r"\beingang (ihrer|deiner) (bewerbung|unterlagen)\b", 3.5),
        (
            r"\bwir haben (alles|ihre unterlagen|deine unterlagen|ihre bewerbung|deine bewerbung) (bekommen|erhalten)\b",
            3.0,
        ),
        (r"\bbewerbung (wurde )?erfolgreich (versendet|übermittelt|eingereicht|abgeschickt)\b", 3.5),
        (
            r"\b(will|we'll) (review|be reviewing|carefully review) your (application|profile|resume|cv)\b",
            2.0,
        ),
        (r"\bif (your|there is a) (skills|experience|background|qualifications|profile) (match|fit)", 1.5),
        (r"\b(eingangsbestätigung|empfangsbestätigung)\b", 4.0),
        (r"\b(ihre|deine) bewerbung (ist )?(bei uns )?(eingegangen|erhalten)\b", 3.5),
        (r"\b(vielen dank|danke) für (ihre|deine) bewerbung\b", 2.0),
        (r"\bwir (werden|prüfen) (ihre|deine) (unterlagen|bewerbung)\b", 2.0),
        (r"\bnous avons (bien )?reçu votre candidature\b", 3.5),
        (r"\bhemos recibido tu (solicitud|candidatura)\b", 3.5),
    ],
}

_COMPILED: dict[str, list[tuple[re.Pattern, str, float]]] = {
    category: [(re.compile(pattern), pattern, weight) for pattern, weight in phrases]
    for category, phrases in _PHRASES.items()
}


@dataclass(frozen=True)
class Classification:
    category: str
    confidence: float  # the winner's share of all evidence, 0..1; 0 for "other"
    phrases: list[str]  # the matches that decided, as found in the mail


def classify(*, subject: str, text: str) -> Classification:
    subject = " ".join(subject.lower().split())
    body = " ".join(text[:BODY_CHARS].lower().split())
    scores: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for category, patterns in _COMPILED.items():
        score = 0.0
        hits: list[str] = []
        for compiled, _pattern, weight in patterns:
            in_subject = compiled.search(subject)
            in_body = compiled.search(body)
            if in_subject:
                score += weight * SUBJECT_WEIGHT
                hits.append(in_subject.group(0))
            elif in_body:
                score += weight
                hits.append(in_body.group(0))
        scores[category] = score
        found[category] = hits
    best = max(scores, key=lambda category: scores[category])
    if scores[best] < MIN_SCORE:
        return Classification(category=Category.OTHER.value, confidence=0.0, phrases=[])
    total = sum(scores.values())
    return Classification(
        category=str(best), confidence=round(scores[best] / total, 3), phrases=found[best][:8]
    )

"""The public pages' and the submission pages' texts (Danish, English), added to the app's.

Kept apart from :mod:`aarshjul.web.i18n` so the pages of the digital plan, the idea phase and
the hearings can grow without touching the shared table; :func:`register` merges them once.
"""

from __future__ import annotations

from aarshjul.web.i18n import TEXTS

PUBLIC_TEXTS: dict[str, tuple[str, str]] = {
    "skip": ("Gå til indholdet", "Skip to content"),
    "plan": ("Digital plan", "Digital plan"),
    "ideas": ("Idéfasen", "Idea phase"),
    "hearings": ("Høringer", "Hearings"),
    "submissions": ("Idéer og høringssvar", "Ideas and responses"),
    "plan_title": ("Helhedsplanen", "The comprehensive plan"),
    "plan_intro": (
        "Her kan alle se, hvad kommunalbestyrelsen vil opnå på hvert politikområde: visioner "
        "(12 år), mål (4 år), servicemål og handlinger (1 år), hvem der er ansvarlig, og hvordan "
        "det går.",
        "Here anyone can see what the council wants to achieve in each policy area: visions "
        "(12 years), goals (4 years), service goals and actions (1 year), who is responsible, "
        "and how it is going.",
    ),
    "plan_state": ("Planens status", "The plan's state"),
    "addenda": ("Tillæg og høringer", "Addenda and hearings"),
    "no_addenda": ("Ingen tillæg endnu.", "No addenda yet."),
    "hearing_period": ("Høringsperiode", "Hearing period"),
    "adoption": ("Vedtagelse", "Adoption"),
    "respond": ("Afgiv høringssvar", "Respond"),
    "now_and_next": ("Årshjulet lige nu", "The annual cycle now"),
    "running_now": ("I gang nu", "Running now"),
    "coming_next": ("Kommer snart", "Coming up"),
    "open_until": ("{name} er åben til {day}.", "{name} is open until {day}."),
    "opens_on": ("{name} åbner {day}.", "{name} opens on {day}."),
    "until": ("til {day}", "until {day}"),
    "from_to": ("{start} til {end}", "{start} to {end}"),
    "take_part": ("Giv din mening til kende", "Have your say"),
    "wheel": ("Årshjulet", "The annual wheel"),
    "wheel_alt": (
        "Årshjulet for {year}: årets faser og milepæle som en cirkel. Faserne står også i listen "
        "ovenfor.",
        "The annual wheel for {year}: the year's phases and milestones as a circle. The phases "
        "are also in the list above.",
    ),
    "wheel_full_size": (
        "Åbn årshjulet i fuld størrelse (SVG)", "Open the annual wheel at full size (SVG)"
    ),
    "policy_areas": ("Politikområder", "Policy areas"),
    "committee_label": ("Udvalg", "Committee"),
    "responsible": ("Ansvarlig", "Responsible"),
    "horizon": ("Tidshorisont", "Horizon"),
    "status_label": ("Status", "Status"),
    "goals_count": ("{n} mål", "{n} goals"),
    "search": ("Søg i planen", "Search the plan"),
    "search_button": ("Søg", "Search"),
    "search_results": ("Søgeresultater for “{q}”", "Search results for “{q}”"),
    "no_results": ("Ingen resultater.", "No results."),
    "text_history": ("Tekstens historik", "History of the text"),
    "changed_on": ("Ændret {day}", "Changed {day}"),
    "proposed_change": ("Foreslået ændring i {title} ({state})", "Proposed change in {title} ({state})"),
    "no_text": ("Ingen beskrivelse endnu.", "No description yet."),
    "edit_text": ("Redigér den offentlige tekst", "Edit the public text"),
    "public_text": ("Offentlig tekst", "Public text"),
    "addendum": ("Tillæg", "Addendum"),
    "addendum_help": (
        "Planen er vedtaget: en ændring skal med i et tillæg, der ikke er sendt i høring endnu.",
        "The plan is adopted: a change goes into an addendum that is not yet in hearing.",
    ),
    "no_addendum": ("(intet tillæg)", "(no addendum)"),
    "save": ("Gem", "Save"),
    "by": ("af {who}", "by {who}"),
    "in_force": ("gældende fra {day}", "in force from {day}"),
    "not_in_force": ("gælder fra tillæggets vedtagelse", "in force once the addendum is adopted"),
    "print": ("Udskriv", "Print"),
    "up": ("Til politikområdet", "To the policy area"),
    "to_plan": ("Til planen", "To the plan"),
    "sub_goals": ("Under dette mål", "Under this goal"),
    "form_name": ("Navn", "Name"),
    "form_email": ("E-mailadresse", "E-mail address"),
    "form_email_help": (
        "Kvitteringen sendes hertil. Adressen offentliggøres aldrig.",
        "The receipt is sent here. The address is never published.",
    ),
    "form_association": (
        "Forening, virksomhed eller organisation (valgfri)",
        "Association, firm or organisation (optional)",
    ),
    "form_concerns": ("Hvad handler det om?", "What is it about?"),
    "form_concerns_none": ("Ved ikke / hele planen", "Don't know / the whole plan"),
    "form_area_whole": ("{name} (hele området)", "{name} (the whole area)"),
    "form_body_ideas": ("Din idé", "Your idea"),
    "form_body_hearing": ("Dit høringssvar", "Your response"),
    "form_attachment": (
        "Bilag (valgfrit, PDF, højst {mb} MB)", "Attachment (optional, PDF, at most {mb} MB)",
    ),
    "form_publish": (
        "Mit navn må stå i hvidbogen (en forenings navn står altid)",
        "My name may appear in the white paper (an association's name always does)",
    ),
    "form_honeypot": ("Lad dette felt stå tomt", "Leave this field empty"),
    "form_send": ("Send", "Send"),
    "form_required": ("skal udfyldes", "required"),
    "form_problems": ("Formularen har fejl", "The form has errors"),
    "ideas_intro": (
        "{name} er åben til {day}. Alle borgere, foreninger og virksomheder kan sende idéer til "
        "Helhedsplanen. Du får en kvittering med et referencenummer på e-mail, og alle idéer "
        "besvares i en hvidbog.",
        "{name} is open until {day}. Every citizen, association and firm can send ideas for the "
        "plan. You get a receipt with a reference number by e-mail, and every idea is answered "
        "in a white paper.",
    ),
    "hearing_intro": (
        "Høringen er åben til {day}. Du får en kvittering med et referencenummer på e-mail, og "
        "alle høringssvar besvares i en hvidbog.",
        "The hearing is open until {day}. You get a receipt with a reference number by e-mail, "
        "and every response is answered in a white paper.",
    ),
    "received_title": ("Tak, vi har modtaget det", "Thank you, we have received it"),
    "received_text": (
        "Dit referencenummer er {ref}. Vi sender en kvittering til {email}.",
        "Your reference number is {ref}. We are sending a receipt to {email}.",
    ),
    "closed_title": ("Ikke åben for indsendelser", "Not open for submissions"),
    "rate_limited": ("For mange indsendelser", "Too many submissions"),
    "hearings_intro": (
        "Planforslag og tillæg i offentlig høring.", "Plan proposals and addenda in public hearing.",
    ),
    "no_hearings": ("Ingen høringer lige nu.", "No hearings at the moment."),
    "state_open": ("åben", "open"),
    "state_coming": ("kommende", "coming"),
    "state_closed": ("lukket", "closed"),
    "received": ("Modtaget", "Received"),
    "reference": ("Reference", "Reference"),
    "sender": ("Indsender", "Submitter"),
    "concerns": ("Vedrører", "Concerns"),
    "owner_label": ("Fordelt til", "Routed to"),
    "reply": ("Svar", "Reply"),
    "reply_label": ("Forvaltningens svar", "The administration's reply"),
    "recommendation": ("Indstilling", "Recommendation"),
    "choose": ("(vælg)", "(choose)"),
    "replied": ("Besvaret", "Replied"),
    "reply_missing": ("Mangler svar", "Reply missing"),
    "save_reply": ("Gem svar", "Save reply"),
    "route_to": ("Fordel til", "Route to"),
    "route_button": ("Fordel", "Route"),
    "attachment": ("Bilag", "Attachment"),
    "publish_yes": ("Navnet må offentliggøres", "Name may be published"),
    "publish_no": ("Navnet offentliggøres ikke", "Name is not published"),
    "erased": ("Kontaktoplysninger slettet", "Contact details erased"),
    "no_submissions": ("Ingen indsendelser her.", "No submissions here."),
    "all_phases": ("(alle faser)", "(all phases)"),
    "hvidbog": ("Hvidbog", "White paper"),
    "download": ("Hent som", "Download as"),
    "ev_received": ("Modtaget", "Received"),
    "ev_routed": ("Fordelt", "Routed"),
    "ev_replied": ("Besvaret", "Replied"),
    "ev_erased": ("Kontaktoplysninger slettet", "Contact details erased"),
    "ev_exported": ("Udleveret til indsenderen", "Exported to the submitter"),
    "citizen": ("borger", "citizen"),
    "submission_text": ("Indsendelse", "Submission"),
}  # fmt: skip


def register() -> None:
    """Add the texts to the app's table (idempotent)."""
    TEXTS.update(PUBLIC_TEXTS)

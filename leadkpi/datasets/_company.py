"""The sample company as data: channels, campaigns, sales team and market.

Nubalia Cloud is a Spanish B2B SaaS (a CRM and sales-automation tool for small and
mid-sized companies) that sells across Europe. Everything the generator knows about it
lives here as plain tables, so that a changed assumption is a changed number, not a
changed algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Channel",
    "Campaign",
    "CHANNELS",
    "CAMPAIGNS",
    "OWNERS",
    "SIZES",
    "COUNTRIES",
    "INDUSTRIES",
    "TITLES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "DOMAIN_WORDS",
    "SITE",
    "TIMEZONE",
]

SITE = "https://nubalia.cloud"
TIMEZONE = "Europe/Madrid"


@dataclass(frozen=True)
class Channel:
    """How leads of one channel behave.

    ``quality`` shifts the latent lead quality (score and every stage); ``won`` is
    an extra log-odds shift of the opportunity win rate; ``churn`` multiplies the
    monthly churn hazard of its customers. ``touch`` is the touch type of a visit
    from the channel and ``awareness`` its weight among touches before a lead is
    known. ``conversion``, ``pages``, ``engaged`` and ``engaged_seconds`` shape the
    web analytics of its traffic (form submissions per session, page views per
    session, engaged share, seconds per engaged session).
    """

    id: str
    quality: float
    won: float
    churn: float
    touch: str
    awareness: float
    conversion: float
    pages: float
    engaged: float
    engaged_seconds: float


# fmt: off
_CHANNEL_ROWS = (
    # id,            quality, won, churn, touch,       awareness, conv, pages, eng, sec
    ("paid_search",     0.25,  0.0, 1.0, "ad_click",        1.0, 0.02,  2.6, 0.62,  95),
    ("organic_search",  0.15,  0.0, 0.9, "organic_visit",   1.6, 0.012, 3.1, 0.66, 120),
    ("paid_social",    -0.7,  -0.7, 4.5, "ad_click",        1.2, 0.03,  1.6, 0.45,  45),
    ("organic_social",  0.2,   0.0, 1.2, "organic_visit",   0.6, 0.008, 2.0, 0.52,  60),
    ("email",           0.15,  0.0, 0.9, "email_click",     0.0, 0.03,  2.4, 0.64,  85),
    ("referral",        0.4,   0.1, 0.7, "referral_visit",  0.5, 0.025, 3.4, 0.71, 140),
    ("direct",          0.3,   0.0, 0.9, "direct_visit",    1.0, 0.02,  3.0, 0.68, 110),
    ("display",         0.1,   0.0, 1.3, "ad_click",        1.4, 0.004, 1.3, 0.35,  30),
    ("events",          0.9,   0.8, 0.7, "webinar",         0.0, 0.009, 2.2, 0.74, 150),
)
# fmt: on
CHANNELS: dict[str, Channel] = {row[0]: Channel(*row) for row in _CHANNEL_ROWS}


@dataclass(frozen=True)
class Campaign:
    """One lead source: a campaign, or an organic source/medium (``id == ""``).

    ``months`` is the active range as month offsets from the data's first month
    (end exclusive, ``None`` = open). ``pattern`` shapes the daily volume:
    ``always``, ``webinar`` (registrations on days 6-20 of each month, none in
    August), ``newsletter`` (Tuesday sends) or ``window`` (every year from
    ``window[0]``/``window[1]`` to ``window[0]``/``window[2]``, month/day).
    ``weight`` is the relative daily lead volume while active. Paid campaigns have a
    cost per lead, cost per click and click-through rate; ``paths`` are landing pages.
    """

    channel: str
    id: str
    source: str
    medium: str
    paths: tuple[str, ...]
    weight: float
    months: tuple[int, int | None] = (0, None)
    pattern: str = "always"
    window: tuple[int, int, int] = (1, 1, 1)
    cpl: float = 0.0
    cpc: float = 0.0
    ctr: float = 0.0

    @property
    def paid(self) -> bool:
        return self.cpl > 0

    @property
    def tagged(self) -> bool:
        """Whether its links carry UTM parameters."""
        return self.id != ""


_BLOG = ("/blog/que-es-un-crm", "/blog/embudo-de-ventas-b2b", "/blog/seguimiento-leads")
_SITE_PAGES = ("/", "/precios", "/funcionalidades/automatizacion", *_BLOG)

# fmt: off
CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("paid_search", "gads_brand", "google", "cpc", ("/demo",), 0.75,
             cpl=45, cpc=0.9, ctr=0.12),
    Campaign("paid_search", "gads_generic_crm", "google", "cpc", ("/crm-pymes",), 1.1,
             cpl=105, cpc=3.4, ctr=0.045),
    Campaign("paid_search", "gads_competitor", "google", "cpc", ("/alternativas",),
             0.45, months=(2, 17), cpl=140, cpc=4.8, ctr=0.035),
    Campaign("paid_search", "gads_generic_automation", "google", "cpc",
             ("/automatizacion-ventas",), 0.6, months=(5, None), cpl=95, cpc=2.9,
             ctr=0.05),
    Campaign("paid_search", "bing_generic_crm", "bing", "cpc", ("/crm-pymes",), 0.25,
             months=(1, 15), cpl=70, cpc=1.8, ctr=0.04),
    Campaign("paid_social", "meta_leadform_ebook", "facebook", "paid_social",
             ("/ebook/guia-crm",), 1.8, months=(0, 12), cpl=14, cpc=0.55, ctr=0.011),
    Campaign("paid_social", "meta_leadform_checklist", "facebook", "paid_social",
             ("/checklist/ventas",), 1.9, months=(12, None), cpl=16, cpc=0.6,
             ctr=0.012),
    Campaign("paid_social", "meta_retargeting", "facebook", "paid_social", ("/demo",),
             0.45, cpl=24, cpc=0.8, ctr=0.009),
    Campaign("paid_social", "li_abm_enterprise", "linkedin", "paid_social",
             ("/enterprise",), 0.3, months=(3, None), cpl=58, cpc=6.5, ctr=0.006),
    Campaign("paid_social", "li_sponsored_content", "linkedin", "paid_social",
             ("/ebook/informe-ventas-b2b",), 0.45, months=(0, 14), cpl=38, cpc=4.2,
             ctr=0.007),
    Campaign("paid_social", "li_leadgen_guide", "linkedin", "paid_social",
             ("/guia/prospeccion",), 0.55, months=(14, None), cpl=32, cpc=4.0,
             ctr=0.008),
    Campaign("display", "gdn_retargeting", "google", "display", ("/demo",), 0.55,
             cpl=170, cpc=0.45, ctr=0.0025),
    Campaign("display", "programmatic_awareness", "criteo", "display", ("/",), 0.6,
             months=(8, 16), cpl=250, cpc=0.35, ctr=0.0012),
    Campaign("events", "webinar_monthly", "livestorm", "webinar", ("/webinars",), 0.9,
             pattern="webinar", cpl=270, cpc=2.2, ctr=0.009),
    Campaign("events", "webinar_product_demo", "livestorm", "webinar",
             ("/webinars/demo-en-directo",), 0.5, months=(4, None), pattern="webinar",
             cpl=230, cpc=2.0, ctr=0.01),
    Campaign("events", "event_saas_summit", "saas_summit", "event",
             ("/eventos/saas-summit",), 3.0, pattern="window", window=(5, 5, 21),
             cpl=390, cpc=2.6, ctr=0.008),
    Campaign("events", "event_ecommerce_expo", "ecommerce_expo", "event",
             ("/eventos/ecommerce-expo",), 2.6, pattern="window", window=(9, 22, 30),
             cpl=420, cpc=2.8, ctr=0.008),
    Campaign("email", "newsletter_weekly", "newsletter", "email", ("/blog",), 0.45,
             pattern="newsletter"),
    Campaign("email", "nurture_onboarding", "nurture", "email", ("/demo",), 0.3),
    Campaign("email", "nurture_reactivation", "nurture", "email", ("/novedades",),
             0.15, months=(5, None)),
    Campaign("email", "promo_black_friday", "newsletter", "email",
             ("/ofertas/black-friday",), 2.5, pattern="window", window=(11, 24, 30)),
    Campaign("email", "promo_spring_launch", "newsletter", "email",
             ("/novedades/lanzamiento",), 2.0, pattern="window", window=(3, 10, 17)),
    Campaign("organic_search", "", "google", "organic", _SITE_PAGES, 1.9),
    Campaign("organic_search", "", "bing", "organic", _SITE_PAGES, 0.15),
    Campaign("organic_social", "", "linkedin", "social", _BLOG, 0.5),
    Campaign("organic_social", "", "youtube", "social", ("/", "/webinars"), 0.12),
    Campaign("referral", "", "g2.com", "referral", ("/", "/precios"), 0.3),
    Campaign("referral", "", "capterra.es", "referral", ("/", "/precios"), 0.25),
    Campaign("referral", "", "asesoriapymes.es", "referral", ("/partners",), 0.15),
    Campaign("direct", "", "(direct)", "(none)", ("/", "/precios", "/demo"), 0.85),
)
# fmt: on

# Sales team: name, share of leads, median hours from the start of the working day
# to the first call, share of leads never called. One rep is systematically slow.
OWNERS: tuple[tuple[str, float, float, float], ...] = (
    ("Lucía Martín", 0.17, 0.35, 0.07),
    ("Álvaro Pérez", 0.16, 0.5, 0.08),
    ("Marta Sánchez", 0.15, 0.6, 0.08),
    ("Diego Romero", 0.14, 0.8, 0.09),
    ("Carmen Ortiz", 0.13, 0.45, 0.08),
    ("Raúl Delgado", 0.13, 14.0, 0.16),
    ("Nerea Vidal", 0.12, 1.0, 0.09),
)

# Company size band: share of accounts, quality shift, contacts per account,
# median monthly recurring revenue (EUR), churn hazard multiplier.
SIZES: tuple[tuple[str, float, float, float, float, float], ...] = (
    ("1-10", 0.27, -0.5, 1.0, 210, 1.4),
    ("11-50", 0.35, 0.0, 1.2, 460, 1.0),
    ("51-200", 0.22, 0.3, 1.6, 1050, 0.85),
    ("201-1000", 0.11, 0.4, 2.4, 2100, 0.7),
    ("1000+", 0.05, 0.2, 3.5, 3900, 0.6),
)

# Country (ISO 3166-1 alpha-2): share of accounts, web domain suffix.
COUNTRIES: tuple[tuple[str, float, str], ...] = (
    ("ES", 0.46, "es"),
    ("PT", 0.08, "pt"),
    ("FR", 0.1, "fr"),
    ("DE", 0.09, "de"),
    ("IT", 0.08, "it"),
    ("NL", 0.05, "nl"),
    ("BE", 0.03, "be"),
    ("IE", 0.03, "ie"),
    ("GB", 0.05, "co.uk"),
    ("AT", 0.03, "at"),
)

# Industry: share of accounts, quality shift.
INDUSTRIES: tuple[tuple[str, float, float], ...] = (
    ("Software", 0.16, 0.3),
    ("Professional services", 0.15, 0.2),
    ("E-commerce", 0.13, 0.1),
    ("Manufacturing", 0.12, 0.0),
    ("Logistics", 0.08, 0.0),
    ("Retail", 0.09, -0.1),
    ("Financial services", 0.07, 0.1),
    ("Healthcare", 0.07, -0.1),
    ("Education", 0.07, -0.4),
    ("Hospitality", 0.06, -0.3),
)

# Job title: share of leads, quality shift (seniority and buying power).
TITLES: tuple[tuple[str, float, float], ...] = (
    ("CEO", 0.08, 0.4),
    ("Founder", 0.06, 0.35),
    ("Managing Director", 0.05, 0.4),
    ("Head of Sales", 0.09, 0.45),
    ("Sales Director", 0.07, 0.45),
    ("Marketing Director", 0.06, 0.3),
    ("CTO", 0.04, 0.1),
    ("Sales Manager", 0.11, 0.2),
    ("Marketing Manager", 0.1, 0.05),
    ("Operations Manager", 0.07, 0.0),
    ("IT Manager", 0.05, -0.1),
    ("Sales Representative", 0.08, -0.3),
    ("Marketing Specialist", 0.07, -0.3),
    ("Analyst", 0.04, -0.4),
    ("Student", 0.03, -1.5),
)

FIRST_NAMES = (
    "ana", "maria", "laura", "carmen", "elena", "sara", "paula", "lucia", "marta",
    "julia", "ines", "clara", "sofia", "emma", "lea", "chiara", "giulia", "anna",
    "sophie", "claire", "hanna", "lena", "joana", "beatriz", "aoife", "charlotte",
    "david", "javier", "carlos", "daniel", "pablo", "sergio", "jorge", "miguel",
    "alberto", "ivan", "marco", "luca", "pierre", "thomas", "lukas", "jan", "joao",
    "pedro", "tiago", "pieter", "sean", "james", "oliver", "max",
)  # fmt: skip

LAST_NAMES = (
    "garcia", "fernandez", "gonzalez", "rodriguez", "lopez", "martinez", "sanchez",
    "perez", "gomez", "martin", "jimenez", "ruiz", "hernandez", "diaz", "moreno",
    "alvarez", "romero", "navarro", "torres", "dominguez", "vazquez", "ramos", "gil",
    "serrano", "blanco", "molina", "castro", "ortega", "rubio", "marin", "silva",
    "santos", "costa", "rossi", "russo", "bianchi", "dubois", "martin", "bernard",
    "muller", "schmidt", "schneider", "dejong", "janssen", "peeters", "murphy",
    "kelly", "smith", "jones", "wagner",
)  # fmt: skip

# Company domains are two words joined (and numbered when the pairs run out).
DOMAIN_WORDS = (
    (
        "alba", "atlas", "brisa", "cima", "delta", "eco", "faro", "gema", "helio",
        "iber", "jade", "kora", "luma", "mare", "nova", "olea", "pino", "quanta",
        "roca", "sol", "terra", "umbra", "vega", "zenit", "aurea", "boreal", "cobalt",
        "dunas", "estela", "fenix", "granit", "horizon", "indigo", "lince", "magna",
        "norte", "orbe", "prisma", "rumbo", "sierra", "tajo", "ulmo", "valle",
        "vertex", "alto", "bruma", "cauce", "ebro", "lumen", "oasis",
    ),
    (
        "soft", "tech", "data", "logistica", "foods", "retail", "consulting",
        "group", "labs", "systems", "digital", "works", "trade", "media", "health",
        "energy", "legal", "studio", "partners", "solutions", "capital", "cloud",
        "design", "factory", "home", "industrial", "learning", "link", "market",
        "motion", "net", "office", "pack", "print", "quality", "rental", "service",
        "shop", "supply", "textil", "tools", "travel", "vision", "wear", "xpress",
    ),
)  # fmt: skip

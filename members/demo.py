"""The demo community's raw material (used by `manage.py seed_demo`)."""

DEMO_PASSWORD = "mutua-demo-2026"

KNOWN_ACCOUNTS = [
    {"handle": "administrator", "name": "Ada Okafor", "role": "administrator", "job_title": "Platform administrator",
     "organisation": "Mutua", "location": "Lisbon"},
    {"handle": "manager", "name": "Maya Lindqvist", "role": "community manager", "job_title": "Community manager",
     "organisation": "Mutua", "location": "Stockholm",
     "headline": "I run the 90-day plan and love introducing people"},
    {"handle": "moderator", "name": "Tomás Rivera", "role": "moderator", "job_title": "Volunteer moderator",
     "organisation": "Northwind Health", "location": "Madrid"},
    {"handle": "sponsor", "name": "Grace Whitfield", "role": "sponsor", "job_title": "VP Customer Success",
     "organisation": "Mutua", "location": "London"},
    {"handle": "member", "name": "Sam Patel", "role": "member", "job_title": "Product designer",
     "organisation": "Brightline Studio", "location": "Manchester",
     "headline": "Designing onboarding that people finish"},
]
for _account in KNOWN_ACCOUNTS:
    _account["password"] = DEMO_PASSWORD

FIRST_NAMES = [
    "Amara", "Ben", "Chiara", "Dmitri", "Elif", "Farah", "Gabriel", "Hana", "Idris", "Jonas", "Kavya", "Leon",
    "Mei", "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Yara", "Zoe",
    "Aiko", "Bruno", "Clara", "Diego", "Esther", "Felix", "Greta", "Hugo", "Ines", "Jamal", "Kira", "Lucas",
]
LAST_NAMES = [
    "Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova", "Jensen", "Kim",
    "Larsen", "Moreau", "Nakamura", "O'Brien", "Papadopoulos", "Rossi", "Schmidt", "Tanaka", "Uddin", "Varga",
    "Walsh", "Xu", "Yilmaz", "Zhang", "Novak", "Mensah", "Ortiz", "Singh", "Kowalski",
]
ORGANISATIONS = [
    "Northwind Health", "Brightline Studio", "Harbor Analytics", "Evergreen Software", "Atlas Logistics",
    "Lumen Energy", "Kestrel Bank", "Juniper Education", "Orbit Retail", "Mosaic Media", "Tidewater Labs",
    "Cobalt Security", "Meridian Insurance", "Fable Games", "Granite Manufacturing",
]
TITLES = [
    "Community lead", "Product manager", "Support engineer", "Data analyst", "Developer advocate",
    "Customer success manager", "UX researcher", "Marketing manager", "Software engineer", "Head of partnerships",
    "Solutions architect", "Content strategist", "Operations manager", "Trainer", "Founder",
]
TOWNS = [
    "London", "Manchester", "Dublin", "Amsterdam", "Berlin", "Lisbon", "Madrid", "Stockholm", "Toronto",
    "New York", "Austin", "Singapore", "Nairobi", "Lagos", "Sydney", "Bangalore", "São Paulo",
]
SKILLS = [
    "Facilitation", "Community strategy", "Onboarding", "Moderation", "Event planning", "Content curation",
    "Public speaking", "Mentoring", "Python", "Django", "Data analysis", "SQL", "UX research", "Product design",
    "Copywriting", "SEO", "Customer success", "Partnerships", "Fundraising", "Project management",
    "Technical writing", "Developer relations", "Accessibility", "Growth marketing", "Storytelling",
]
INTERESTS = [
    "open source", "mentoring", "remote work", "climate tech", "accessibility", "board games", "running",
    "photography", "community events", "public policy", "music", "cycling", "education", "AI ethics",
]

"""Word lists the benchmark's synthetic community is made of (bench only; deterministic, no Faker).

Lists are ordered by how common each entry should be: the generator draws with Zipf-like weights,
so the first names, skills, cities and organisations near the top are the popular ones.
"""

FIRST_NAMES = """
Maria James Anna David Sarah Michael Laura John Emma Daniel Sofia Thomas Julia Alex Chloe Mohammed
Elena Lucas Hannah Carlos Fatima Peter Olivia Ahmed Clara Jonas Priya Luca Amina Mark Ines Oliver Mei
Samuel Nadia Paul Grace Ali Rosa Felix Aisha Martin Lena Rahul Sophie Omar Eva Jan Chiara Kevin Zoe
Diego Yara Andrew Kavya Hugo Esther Tom Amara Ben Leila Chen Nora Ivan Alice Tariq Ingrid Marco Lucia
Sven Hana Victor Elif Gabriel Wen Pedro Farah Nikolai Greta Kenji Aiko Bruno Ruth Jamal Kira Leon Uma
Sean Mila Adam Noor Igor Ava Oscar Isabel Rafael Linnea Tomas Ayesha Anders Lina Emeka Freya Arjun Ana
Stefan Bianca Joao Camille Yusuf Helena Matteo Astrid Dmitri Naomi Kwame Valentina Ravi Sara Pablo Mina
Henrik Daria Andre Ewa Tobias Imani Kofi Yuki Patrick Alina Sanjay Marta Benedikt Nia Fernando Tara
Quentin Beatriz Idris Noemi Rohan Agnes Florian Chidi Malik Ida Emil Zara Hiro Lucy Anil Vera Goran
Selin Finn Salma Ricardo Maja Tobi Ebony Joaquin Hiba Lars Roisin Mateo Sunita Elias Thandiwe Nils Ayo
Wojciech Keiko Cyril Mariam Ezra Katarina Jorge Lwazi Ilse Dev Paloma Anton Ngozi Santiago Hedda Ren
""".split()

LAST_NAMES = """
Smith Garcia Mueller Rossi Kim Nguyen Patel Johnson Silva Martin Kowalski Novak Haddad Jensen Tanaka
Williams Fernandez Schmidt Bianchi Lee Tran Singh Brown Santos Bernard Nowak Svoboda Khalil Hansen
Suzuki Jones Lopez Schneider Romano Park Le Sharma Taylor Oliveira Dubois Wisniewski Dvorak Mansour
Nielsen Takahashi Miller Martinez Fischer Colombo Choi Pham Kumar Davies Pereira Thomas Wojcik Cerny
Saleh Pedersen Watanabe Wilson Rodriguez Weber Ricci Jung Hoang Gupta Evans Costa Robert Kaminski
Prochazka Hassan Andersen Ito Moore Sanchez Meyer Marino Kang Phan Reddy Walker Ferreira Richard
Lewandowski Kucera Ali Larsen Yamamoto Anderson Perez Wagner Greco Cho Vu Iyer Wright Almeida Petit
Zielinski Vesely Ahmed Christensen Nakamura Jackson Gomez Becker Bruno Yoon Dang Nair Roberts Carvalho
Durand Szymanski Horak Ibrahim Eriksen Kobayashi White Diaz Schulz Gallo Jang Bui Rao Green Gomes
Leroy Wozniak Nemec Farouk Lund Kato Harris Moreno Hoffmann Conti Lim Do Menon Hall Lopes Moreau
Dabrowski Pokorny Nasser Holm Yoshida Clark Alvarez Schaefer DeLuca Han Ngo Pillai Wood Ribeiro Simon
Kozlowski Marek Aziz Berg Yamada Lewis Romero Koch Mancini Shin Duong Bose Edwards Martins Laurent
Jankowski Pospisil Rahman Dahl Sasaki Young Torres Bauer Costa Oh Ly Chatterjee Hughes Rocha Lefebvre
Mazur Hajek Karimi Lindqvist Yamaguchi King Ramirez Richter Giordano Seo Truong Das Green Dias Michel
Krawczyk Kral Farah Berglund Matsumoto Scott Flores Klein Rizzo Kwon Dinh Banerjee Hill Teixeira
Garnier Kaczmarek Jelinek Haider Sandberg Inoue Adams Ruiz Wolf Lombardi Song Mai Mehta Baker Mendes
Faure Piotrowski Ruzicka Qureshi Ekstrom Kimura Nelson Hernandez Schroeder Moretti Hwang Lam Joshi
Carter Barbosa Rousseau Grabowski Benes Sheikh Magnusson Hayashi Mitchell Diaz Neumann Barbieri Ahn
Chu Desai Phillips Nunes Fontaine Nowicki Fiala Malik Holmberg Shimizu Campbell Morales Schwarz Fontana
Adeyemi Okafor Mensah Owusu Boateng Nwosu Eze Abubakar Mwangi Otieno Kamau Ochieng Dlamini Nkosi
Mokoena Botha Naidoo Osei Asante Adebayo Balogun Ogunleye Okeke Chukwu Yilmaz Kaya Demir Sahin Celik
Ozturk Aydin Arslan Dogan Kilic Popescu Ionescu Stan Dumitru Georgescu Horvath Nagy Toth Szabo Kovacs
Papadopoulos Georgiou Nikolaidis Ivanova Petrov Smirnov Sokolov Popov Kuznetsov Volkov Murphy Kelly
OBrien Walsh Byrne Ryan Doyle McCarthy Gallagher Kennedy Quinn Fitzgerald
""".split()

# ~200 skills: the taxonomy. Earlier entries are held by more members.
SKILLS = (
    """
Python|Project management|Public speaking|SQL|Data analysis|Mentoring|Facilitation|JavaScript
Product management|UX research|Community strategy|Event planning|Copywriting|Customer success
Django|Leadership|Stakeholder management|Technical writing|Content strategy|Agile coaching
Machine learning|Product design|Onboarding|Partnerships|Fundraising|Accessibility|Storytelling
Growth marketing|Moderation|Developer relations|React|Cloud architecture|Kubernetes|Docker
DevOps|Data visualisation|Statistics|Negotiation|Coaching|Workshop design|Research synthesis
Interaction design|Visual design|Brand strategy|SEO|Social media|Email marketing|Budgeting
Financial modelling|Sales|Business development|Recruiting|People management|Change management
Conflict resolution|Translation|Spanish|French|German|Mandarin|Arabic|Portuguese|Photography
Video editing|Podcasting|Illustration|Figma|Typography|Information architecture|Service design
Design systems|Usability testing|Survey design|Qualitative research|Quantitative research
A/B testing|Marketing analytics|Product analytics|Tableau|Power BI|Excel|R|Go|Rust|Java|Kotlin
Swift|TypeScript|Node.js|Ruby on Rails|PHP|C#|.NET|C++|Scala|Elixir|GraphQL|REST APIs|PostgreSQL
MySQL|MongoDB|Redis|Elasticsearch|Kafka|Spark|Airflow|dbt|Snowflake|BigQuery|AWS|Azure
Google Cloud|Terraform|Ansible|Linux|Networking|Security engineering|Penetration testing
Incident response|Site reliability|Observability|Performance tuning|Testing|Test automation
Mobile development|iOS|Android|Flutter|Web performance|Frontend architecture|Backend architecture
Distributed systems|Microservices|API design|Open source|Documentation|Knowledge management
Information security|Privacy|GDPR compliance|Legal research|Contract drafting|Policy analysis
Grant writing|Nonprofit management|Volunteer management|Impact measurement|Sustainability
Climate policy|Supply chain|Logistics|Operations|Procurement|Quality assurance|Lean
Six Sigma|Process improvement|Customer support|Help desk|Training|Curriculum design
Instructional design|E-learning|Teaching|Career coaching|Diversity and inclusion|Wellbeing
Mindfulness|Public relations|Crisis communication|Journalism|Editing|Proofreading|Speechwriting
Community management|Ambassador programmes|Gamification|Game design|3D modelling|Animation
Music production|Audio engineering|Hardware prototyping|Embedded systems|IoT|Robotics
Computer vision|Natural language processing|Deep learning|MLOps|Data engineering
Data governance|Data ethics|AI ethics|Prompt engineering|Blockchain|Payments|Fintech
Healthcare|Clinical research|Biotech|Real estate|Urban planning|Architecture|Interior design
""".strip()
    .replace("\n", "|")
    .split("|")
)

# Approved skills few members hold (name, holders), whatever the size of the community.
NICHE_SKILLS = [("COBOL", 12), ("Esperanto", 5), ("Falconry", 25), ("Bookbinding", 60), ("Lojban", 2)]

PROPOSED_SKILLS = ["Quantum computing", "Beekeeping", "Sourdough baking", "Wardley mapping", "Low-code tools"]

INTERESTS = (
    """
open source|mentoring|remote work|climate tech|accessibility|board games|running|photography
community events|public policy|music|cycling|education|AI ethics|hiking|cooking|travel|reading
chess|volunteering|gardening|yoga|podcasts|film|theatre|languages|startups|design|history
science fiction|astronomy|football|basketball|tennis|swimming|climbing|sailing|knitting|painting
jazz|poetry|writing|urbanism|diversity|mental health|parenting|pets|coffee|tea|wine|architecture
""".strip()
    .replace("\n", "|")
    .split("|")
)

ORG_STEMS = """
Northwind Brightline Harbor Evergreen Atlas Lumen Kestrel Juniper Orbit Mosaic Tidewater Cobalt
Meridian Fable Granite Summit Beacon Cedar Horizon Pioneer Quartz Riverstone Sapphire Willow Zenith
Aurora Bluebird Canopy Driftwood Ember Foxglove Glacier Heron Ironbark Jasper Kinfolk Lighthouse
Maple Nimbus Oakridge Pinecone Quill Redwood Saltmarsh Thistle Upland Vantage Wildflower Yarrow
""".split()
ORG_KINDS = (
    """
Health|Studio|Analytics|Software|Logistics|Energy|Bank|Education|Retail|Media|Labs|Security
Insurance|Games|Manufacturing|Foundation|Collective|Consulting|Ventures|Systems|Robotics|Foods
Capital|Partners|Digital|Networks|Biotech|Mobility|Cooperative|Institute
""".strip()
    .replace("\n", "|")
    .split("|")
)

CITIES = (
    """
London|Berlin|New York|Amsterdam|Lisbon|Madrid|Paris|Toronto|Dublin|Stockholm|Barcelona|Manchester
San Francisco|Bangalore|Singapore|Nairobi|Lagos|Sydney|São Paulo|Mexico City|Munich|Copenhagen
Oslo|Helsinki|Vienna|Zurich|Milan|Rome|Warsaw|Prague|Budapest|Athens|Istanbul|Tel Aviv|Dubai
Cairo|Cape Town|Johannesburg|Accra|Kigali|Addis Ababa|Casablanca|Mumbai|Delhi|Hyderabad|Chennai
Pune|Dhaka|Karachi|Bangkok|Ho Chi Minh City|Hanoi|Jakarta|Manila|Kuala Lumpur|Seoul|Tokyo|Osaka
Taipei|Hong Kong|Shanghai|Beijing|Shenzhen|Melbourne|Brisbane|Auckland|Wellington|Vancouver
Montreal|Seattle|Austin|Boston|Chicago|Denver|Atlanta|Miami|Los Angeles|Portland|Washington
Philadelphia|Minneapolis|Buenos Aires|Santiago|Bogotá|Lima|Montevideo|Quito|Edinburgh|Glasgow
Bristol|Leeds|Cardiff|Belfast|Brussels|Antwerp|Rotterdam|Utrecht|Hamburg|Cologne|Frankfurt
Lyon|Marseille|Bordeaux|Porto|Valencia|Seville|Turin|Bologna|Kraków|Wrocław|Bucharest|Sofia
Belgrade|Zagreb|Ljubljana|Tallinn|Riga|Vilnius|Reykjavik|Gothenburg|Malmö|Aarhus|Bergen|Remote
""".strip()
    .replace("\n", "|")
    .split("|")
)

SENIORITY = ["", "Senior ", "Lead ", "Principal ", "Junior ", "Associate ", "Staff "]
HEADS_OF = [
    "Head of product",
    "Head of engineering",
    "Head of community",
    "Head of design",
    "Head of data",
    "Head of partnerships",
    "Head of people",
    "Head of marketing",
    "Head of operations",
    "Head of research",
]
ROLES = (
    """
Software engineer|Product manager|Data analyst|Data scientist|UX researcher|Product designer
Community manager|Developer advocate|Customer success manager|Marketing manager|Content strategist
Solutions architect|Engineering manager|Operations manager|Project manager|Technical writer
Sales engineer|Account executive|Recruiter|Trainer|Consultant|Researcher|Security engineer
Site reliability engineer|Frontend developer|Backend developer|Designer|Program manager|Founder
Teacher|Nurse|Policy advisor|Editor|Journalist|Fundraiser|Accountant|Lawyer|Architect|Analyst
""".strip()
    .replace("\n", "|")
    .split("|")
)

HEADLINES = [
    "{role} helping {audience} with {skill}",
    "{role} at {org}",
    "{skill} and {skill2} · {city}",
    "I turn {thing} into {outcome}",
    "{role} · {skill} nerd · {interest} on weekends",
    "Building {thing} at {org}",
    "Ask me about {skill}, {skill2} or {interest}",
    "{role}, {years} years in {skill}",
    "Curious about {interest}; working on {skill}",
    "Making {thing} {adjective} for {audience}",
]
AUDIENCES = [
    "small teams",
    "non-profits",
    "startups",
    "public services",
    "first-time founders",
    "students",
    "open-source maintainers",
    "local communities",
    "healthcare teams",
    "new managers",
]
THINGS = [
    "messy data",
    "onboarding",
    "support tickets",
    "research notes",
    "legacy code",
    "community feedback",
    "dashboards",
    "workshops",
    "documentation",
    "release processes",
    "design systems",
    "hiring loops",
]
OUTCOMES = [
    "decisions",
    "happy customers",
    "clear roadmaps",
    "shipped features",
    "better products",
    "working software",
    "stories people remember",
    "measurable impact",
]
ADJECTIVES = ["simpler", "faster", "kinder", "more accessible", "more reliable", "less scary", "fairer"]

BIO_SENTENCES = [
    "I have spent {years} years working on {skill} and {skill2}, most recently as {role_article} at {org}.",
    "Before that I was in {city2}, where I co-founded a meetup about {interest}.",
    "These days I mostly think about how {audience} can get better at {skill}.",
    "I am happy to help anyone getting started with {skill2}; ask me for a coffee chat.",
    "I would love to learn more about {skill3} from people who do it every day.",
    "Outside work you will find me {hobby}.",
    "I care about {interest} and try to bring it into everything I do.",
    "My background is in {field}, which still shapes how I approach {skill}.",
    "Currently based in {city}, working mostly remotely with teams across time zones.",
    "I mentor two people a month through the community and always have room for one more.",
    "Recently I gave a talk on {skill} and {thing}; slides are on my website.",
    "Happy to review CVs, portfolios or pull requests, especially around {skill2}.",
    "I believe the best communities are built on small, generous acts.",
    "Our team at {org} is hiring, so say hello if {skill} is your thing.",
]
HOBBIES = [
    "running along the river",
    "at a board game café",
    "climbing",
    "in the garden",
    "behind a camera",
    "learning Portuguese",
    "baking bread",
    "on a bike somewhere hilly",
    "reading science fiction",
    "playing in a community orchestra",
    "volunteering at the food bank",
    "hiking with my dog",
]
FIELDS = [
    "physics",
    "music",
    "economics",
    "psychology",
    "journalism",
    "teaching",
    "nursing",
    "architecture",
    "philosophy",
    "biology",
    "law",
    "hospitality",
    "the army",
    "retail",
]

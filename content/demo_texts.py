"""The words of the demo site: articles, digests and guest posts written in the voice of a community
of practice about reciprocity (used by content.demo). Kept apart from the code that publishes them."""

# Each article: title, summary, tags, featured, and its body as (kind, value) blocks: "h" a heading,
# "p" a paragraph (inline HTML allowed), "quote" (text, attribution), "member" a note about the
# article's member author (the block shows their card).
ARTICLES = [
    {
        "title": "The first week decides everything",
        "summary": "Newcomers whose first post is answered within a day come back. A rota of members who "
        "remember being new is how we make sure it happens.",
        "tags": ["onboarding", "retention"],
        "featured": True,
        "body": [
            ("p", "Last spring we went back through a year of sign-ups and asked a plain question: who was still "
                  "posting three months later? The answer had little to do with job titles, company size or how "
                  "the person found us. It had almost everything to do with what happened to their first post."),
            ("p", "Newcomers whose first post got a reply within 24 hours were <strong>three times as likely</strong> "
                  "to post again that month. Those who waited more than three days mostly never came back. Nobody "
                  "writes to say they felt ignored; they simply stop opening the e-mails."),
            ("h", "Why a bot does not fix it"),
            ("p", "Our first instinct was automation: an instant welcome message, a checklist, a badge. Activity "
                  "went up for a week and then fell back. People can tell a form letter from a person, and a "
                  "form letter answers the wrong question. A newcomer asking about onboarding metrics wants to "
                  "know that someone who has done it read their post."),
            ("quote", ("The reply that kept me here was two lines long. It mentioned my company by name and asked "
                       "one question back.", "A member who joined last year")),
            ("h", "The rota"),
            ("p", "So we asked for volunteers among members who had joined in the previous quarter. They remember "
                  "being new, and they are not yet the regulars everyone waits for. Each takes one week at a time "
                  "and watches the list of unanswered first posts. The rule is simple: reply within a day, even "
                  "if the reply is “I don't know, but here is who might.”"),
            ("p", "Six months in, 88 % of first posts get an answer within a day, and the rota has fourteen people "
                  "on it. Several of them were welcomed by the rota themselves. That is the part we did not plan: "
                  "being welcomed well makes people want to do the welcoming."),
            ("h", "Try it in your community"),
            ("p", "Start with three people and one week. Share the list of unanswered first posts every morning. "
                  "Thank the volunteers in public, by name, for what their reply made possible. Then ask the "
                  "newcomers they helped whether they would like to take a week."),
            ("member", "Set up the rota and still runs its weekly check-in: ask how the volunteers are found."),
        ],
    },
    {
        "title": "Three numbers for your executive sponsor",
        "summary": "Support deflection, time to first answer and returning members: the three figures that tell "
        "a sponsor the community is working, and how to put a member behind each.",
        "tags": ["metrics", "sponsors"],
        "featured": False,
        "body": [
            ("p", "Every community manager knows the monthly moment: the sponsor asks how the community is doing, "
                  "and you have fifty metrics and thirty seconds. We asked twenty members of the managers' circle "
                  "what they show, and three numbers came up again and again."),
            ("h", "1. Questions answered by members"),
            ("p", "Count the questions that got an accepted answer from a member rather than from staff. Finance "
                  "understands this one immediately, because each of those answers is a support ticket that was "
                  "never opened. Be conservative: count only answers the asker accepted."),
            ("h", "2. Time to first answer"),
            ("p", "The median time between a question and its first reply. It is the number that moves first when "
                  "something goes wrong (a holiday, a moderator burning out, a product launch) and the one that "
                  "predicts whether newcomers stay. Show the trend, not the day."),
            ("h", "3. Members who came back"),
            ("p", "Of the people who posted for the first time last month, how many posted again this month? "
                  "Page views rise with every newsletter. Returning members only rise when the community is worth "
                  "returning to."),
            ("quote", ("A number without a member behind it does not land. I show one figure and one story, and "
                       "the story is what the VP repeats in her staff meeting.", "From the managers' circle")),
            ("h", "The story behind the figure"),
            ("p", "Pick one member each month whose experience explains a number: the customer whose question was "
                  "answered in an hour by another customer, the newcomer who now answers others. Ask their "
                  "permission, quote them accurately, and link to the thread. Your sponsor will start opening the "
                  "report first thing, and asking for the story by name."),
            ("member", "Runs our monthly report and has opinions about medians: ask about support deflection."),
        ],
    },
    {
        "title": "Thank genuinely: what a good thank-you says",
        "summary": "“Great post!” could be sent to anyone. A thank-you that says what the help made possible "
        "could only be sent to one person, and it is the one they remember.",
        "tags": ["reciprocity", "culture"],
        "featured": False,
        "body": [
            ("p", "Reciprocity is the quiet engine of every good community. Someone answers your question; later you "
                  "answer someone else's, or you come back and tell the first person how it went. When that loop "
                  "closes, people keep giving. When it does not, the most generous members slowly give less."),
            ("p", "The thank-you is where the loop closes, and most thank-yous are too thin to do it. “Thanks!” and "
                  "“Great post!” are kind, but they could have been written without reading the reply. The helper "
                  "learns nothing: not whether the advice worked, not whether it was worth the twenty minutes."),
            ("h", "Three things a good thank-you says"),
            ("p", "<strong>What you used.</strong> Name the part of the help that mattered: the checklist, the "
                  "introduction, the one sentence that changed your plan."),
            ("p", "<strong>What it made possible.</strong> “Your checklist saved our launch” tells the helper their "
                  "time turned into something real. It is the sentence they will remember."),
            ("p", "<strong>What comes next.</strong> An update a week later, a question back, or an offer: "
                  "“If you ever need a hand with your beta group, ask me.” That is how a favour becomes a relationship."),
            ("quote", ("I had stopped answering questions because I never knew if it helped. Then someone wrote back "
                       "a month later with their results. I answered four more that week.", "A long-time member")),
            ("h", "Soon, and in public when you can"),
            ("p", "Thank within a day or two, while the help is still fresh for both of you. Mutua's Pay it back "
                  "page lists what you received and have not yet acknowledged, oldest first, so nothing slips. "
                  "And when the help was public, thank in public: it shows newcomers how this community works."),
            ("member", "Writes the best thank-you notes in the community: ask for the method."),
        ],
    },
    {
        "title": "Running an AMA people actually attend",
        "summary": "Collect questions a week ahead, keep the room small, start with the best three, and turn the "
        "answers into a digest the next day.",
        "tags": ["events", "programmes"],
        "featured": False,
        "body": [
            ("p", "Our last big “ask me anything” had three hundred people registered, ninety in the room and four "
                  "questions, two of them from the host. Large open rooms make people shy; nobody wants to ask the "
                  "obvious question in front of ninety strangers. Here is the format that replaced it."),
            ("h", "A week before: collect the questions"),
            ("p", "Open a thread in the forum seven days ahead and ask for questions there. People write better "
                  "questions when they have time, others add to them, and reactions show you which ones matter "
                  "most. The guest can prepare, and the people who cannot attend still get answers."),
            ("h", "On the day: a small room"),
            ("p", "Twenty people, cameras on, one guest, forty-five minutes. Start with the three questions that "
                  "got the most reactions and name the people who asked them. Once three people have been named "
                  "and answered, the room relaxes and the live questions start."),
            ("quote", ("Smaller is better. The best session we ran had eighteen people and went twenty minutes over "
                       "because nobody wanted to leave.", "From the events group")),
            ("h", "The day after: write it down"),
            ("p", "Post a short summary in the original thread within a day and answer the questions there was no "
                  "time for. Then turn the best answers into an insight digest, crediting every member whose "
                  "question or answer you quote. The digest reaches the people who missed the session, and the "
                  "credit tells those who asked that their questions mattered."),
            ("p", "Run it three times before you judge it. The first session teaches you the format; by the third, "
                  "members will be suggesting the guests."),
            ("member", "Hosts our monthly AMA and keeps the run sheet in the resource library."),
        ],
    },
    {
        "title": "Give four times for every time you promote",
        "summary": "For every post about your own work, share four about other people's. Why the ratio works "
        "and how to keep it without counting.",
        "tags": ["reciprocity", "sharing"],
        "featured": False,
        "body": [
            ("p", "Every community has the member who only appears to announce their webinar. Nobody minds the "
                  "webinar; what grates is that they never appear otherwise. The opposite member, who shares "
                  "other people's work, answers questions and introduces people, can mention their own launch and "
                  "be cheered for it."),
            ("p", "The rule of thumb many communities settle on is 80/20: four parts giving (sharing, answering, "
                  "recommending, introducing) to one part promoting your own words or business. It is not a law, "
                  "and nobody should keep a spreadsheet. But it is a useful mirror."),
            ("h", "Why it works"),
            ("p", "Attention in a community is borrowed, not owned. When you share someone's article, they notice, "
                  "and the people who follow them notice you. When you answer a question well, the asker "
                  "remembers the name. By the time you promote something of your own, people already know what "
                  "you give, and they are glad to return the favour."),
            ("quote", ("People you recommend to others will remember the favour. People you only pitch to will "
                       "remember that too.", "A member of the managers' circle")),
            ("h", "Keeping the balance without counting"),
            ("p", "My reciprocity shows how much of what you post is about yourself, next to the 80/20 guide, "
                  "privately, for you alone. Most members who look at it for the first time are surprised in the "
                  "good direction. If you are not, the fix is easy: this week, share two pieces of someone else's "
                  "work with a line on why they are worth reading, and answer one question in a group you "
                  "usually only read."),
            ("member", "Shares more good work from others than anyone we know: ask what is worth reading."),
        ],
    },
]

UPCOMING = {
    "title": "Your next 90-day plan, step by step",
    "summary": "Acquisition, beta groups, content programmes and outreach: how to plan a quarter of community "
    "work you can report on.",
    "body": [
        ("p", "Ninety days is long enough to change a community and short enough to plan properly. This guide "
              "walks through the plan we use: one goal for acquisition, one for activation, a content programme "
              "and a piece of outreach, each with a number you will report at the end."),
    ],
}

# Each digest: title, summary, intro paragraphs, the threads it quotes (titles in forums.demo) and one
# commentary per quote, in order.
DIGESTS = [
    {
        "title": "What the community learned about welcoming newcomers",
        "summary": "Buddies, welcome threads and hand-written messages: what members shared this month, "
        "in their own words.",
        "intro": [
            "Half of the people who join a community never post. This month, members of the onboarding group "
            "compared what they do in a newcomer's first week, and the conversation was generous enough to "
            "deserve a page of its own.",
            "Three ideas came up again and again: a named person who answers the first post, a low-effort way "
            "to say hello, and messages that could only have been written to one person. Here they are, in the "
            "words of the members who shared them, each linked to the full discussion.",
        ],
        "threads": ["What does your first-week welcome look like?", "Writing the welcome message: personal beats perfect"],
        "commentary": [
            "The most concrete result of the month: a buddy whose only job is to reply within a day nearly "
            "doubled the first-post rate.",
            "A welcome thread lowers the bar for newcomers and gives regulars an easy reason to reply.",
            "Personal beats perfect: one detail from the newcomer's profile does more than any template.",
            "Recruiting buddies from recent newcomers keeps the welcome honest: they remember being new.",
        ],
    },
    {
        "title": "Measuring what the community is worth",
        "summary": "Which numbers convince a sponsor, and how to count support deflection without a survey: "
        "the community metrics group's best answers.",
        "intro": [
            "Executive sponsors ask the same question every quarter: what is the community worth? The community "
            "metrics group spent the month on it, and the answers are practical enough to use in your next "
            "report.",
            "The short version: fewer numbers, each with a member behind it, and a conservative way of counting "
            "the support tickets the community saved. Each quote links to its thread: read the whole "
            "discussion, and add the method your own finance team accepted.",
        ],
        "threads": ["Which three numbers do you show your executive sponsor?", "How do you count support deflection without a survey?"],
        "commentary": [
            "Three numbers that a sponsor can repeat: questions answered by members, time to first answer, and "
            "members who came back.",
            "Numbers persuade when a member's story comes with them.",
            "A method finance accepted: match sessions ending on an accepted answer with tickets not opened.",
        ],
    },
]

GUEST_POST = {
    "title": "Onboarding that people finish",
    "summary": "What a product designer learned by watching fifty people sign up for a community, and the "
    "four changes that doubled the number who finished.",
    "body": """Last quarter I sat beside fifty people as they signed up for our customer community, one at a time,
and took notes on every hesitation. I expected to find bugs. Instead I found a sign-up that asked for too much,
too early, from people who had not yet decided whether they wanted to stay.

**What we saw**

Most people arrived with one question. They wanted to ask it, get an answer and get back to work. Our sign-up
asked them for a profile photo, a job title, five interests and a bio before they could post. Eleven of the fifty
gave up on the profile page. Several more filled it in with a single character just to get past it.

The ones who did get through often posted their question in the wrong place, waited, saw nothing and left. Nobody
had told them that replies usually come within a day.

**Four changes**

**Ask for one thing at a time.** We moved everything except a name and an e-mail address to later, and invite
people to complete their profile after their first reply, when they have a reason to be known.

**Let the question come first.** A newcomer can now write their question during sign-up; it is posted as soon as
their address is verified.

**Say what happens next.** After posting, a short line explains that members usually answer within a day, and that
they will get an e-mail when someone does.

**Answer the first post within a day.** This is not a design change at all. It is the community rota described in
*The first week decides everything*, and it matters more than the other three put together.

**The result**

The share of sign-ups who finish and post something went from 31 % to 64 % in two months. The profiles are better
too: people fill them in once they have a reason.

If you are working on onboarding in your own community, I would love to compare notes. I am in the onboarding
group most weeks, and happy to share the interview script we used.""",
    "website": "https://example.org/sam-patel",
}

WAITING_GUEST_POST = {
    "title": "What our beta group taught us",
    "summary": "Honest feedback needs a small room, a fast reply and a visible change. Notes from two years of "
    "running a private beta group.",
    "body": """Our product beta group has twenty-three members and one rule: every report gets a reply within a
day, even if the reply is "we have seen this and do not know yet."

When we started, the group was two hundred people and almost silent. Large groups feel like audiences, and
audiences are polite. Feedback only became honest when we made the group small enough that everyone knew each
other's names.

**What we changed**

**We invited, rather than opened.** Each member was asked personally, with a sentence on why we wanted their view.

**We closed the loop in public.** Every change that came from a report is announced in the group with the name of
the member who suggested it. Members started competing, gently, to be named.

**We said no kindly and quickly.** Not every idea fits. A clear no with a reason, within a day, keeps trust far
better than a maybe that never resolves.

**What we would tell another team**

Start smaller than feels useful. Answer faster than feels necessary. Thank people for specific reports, by name,
and tell them what their report changed. The group will tell you the truth, and the truth is what a beta is for.""",
}

RESOURCES = [
    ("Welcome thread template", "Onboarding", "public",
     "A ready-to-post welcome thread with three short questions newcomers can answer in a minute, and notes on "
     "replying to each one personally."),
    ("Community metrics glossary", "Metrics", "members",
     "Plain definitions of the figures in Mutua's reports: support deflection, time to first answer, returning "
     "members and more, with how each is counted."),
    ("90-day plan worksheet", "Planning", "members",
     "One page per quarter: a goal each for acquisition and activation, a content programme and an outreach "
     "piece, each with the number you will report."),
    ("AMA run sheet", "Events", "public",
     "The week-by-week checklist behind our monthly AMA: collecting questions, briefing the guest, hosting a "
     "small room and writing the digest the next day."),
    ("Thank-you note prompts", "Reciprocity", "public",
     "Three questions to answer before you thank someone: what you used, what it made possible, what comes next."),
]  # fmt: skip

WELCOME_TEMPLATE = """Welcome to the community, {name}!

Tell us three things, in a line each:
1. What you work on.
2. One thing you would like to learn here.
3. One thing you could help others with.

A member of the welcome rota will reply within a day.
"""

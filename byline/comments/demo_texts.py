# ruff: noqa: E501  (prose: long sentences read better unbroken)
"""Comment threads for the demo newsroom, written for Byline's fictional town of Port Alder.

THREADS maps a piece of an article's slug to its threads. A thread is (commenter, text, replies), replies
being threads too. Commenters are indexes into COMMENTERS. The busy article's comments are assembled from the
fragments at the bottom.
"""

COMMENTERS = [
    "Harriet Kowalczyk",
    "Dev Anand",
    "Marguerite L.",
    "Sam Okonjo",
    "Wren Talbot",
    "Ilse from Millbrook",
    "Corbin Shaw",
    "Nadia Haddad",
    "Old Ferry Road",
    "Teodoro Vasquez",
    "June Arsenault",
    "Pim de Groot",
]

THREADS: dict[str, list] = {
    "budget-vote": [
        (
            0,
            "I went to the meeting. The room was full of parents with toddlers who use the branch on Saturdays, "
            "and you could see a few councillors change their minds while they listened.",
            [
                (
                    3,
                    "Thanks for going. Did anyone say what the amendment would actually cost per household?",
                    [
                        (
                            0,
                            "Someone from finance said roughly **nine dollars a year** on an average bill. "
                            "It's in the staff report, page 14.",
                            [],
                        ),
                    ],
                ),
                (7, "Same experience here. The youth librarian spoke for two minutes and got applause.", []),
            ],
        ),
        (
            9,
            "Delaying a week is fine if it means they read the numbers properly. Rushing a budget is how we "
            "ended up with the arena roof mess.",
            [
                (6, "Fair, but every delay costs staff time too. I hope next Tuesday is final.", []),
            ],
        ),
        (
            4,
            "Could the paper publish the full list of what the amendment moves around? The story mentions "
            "parks maintenance but not by how much.",
            [
                (11, "Seconded. A simple table would help a lot of us.", []),
            ],
        ),
    ],
    "salmon": [
        (
            5,
            "My grandfather used to tell us the river was so full in October you could hear it. "
            "Good to read this.",
            [
                (
                    10,
                    "The hatchery volunteers deserve a lot of the credit. They count fish in the rain every year.",
                    [],
                ),
            ],
        ),
        (
            1,
            "Is the count done by camera now, or still by hand at the weir?",
            [
                (
                    8,
                    "Both, I believe. The camera was added two seasons ago and they compare the numbers.",
                    [],
                ),
            ],
        ),
    ],
    "lantern-players": [
        (
            2,
            "Saw it on Friday. The second act drags a bit, but the actor playing the butler is a treasure.",
            [
                (4, "Agreed about the butler! I laughed so hard at the staircase scene.", []),
            ],
        ),
        (11, "Nice to see a review of community theatre that takes it seriously without being unkind.", []),
    ],
    "property-tax": [
        (6, "This is the clearest explanation of the mill rate I've read. Sending it to my mother.", []),
        (
            3,
            "One question: does the assessment appeal deadline change if you bought the house mid-year?",
            [
                (
                    9,
                    "I bought in June last year and my deadline was the same as everyone else's, end of March.",
                    [],
                ),
            ],
        ),
    ],
    "flood-maps": [
        (
            5,
            "We're on the new line. Nobody from the city has written to us yet; we learned it from this article.",
            [
                (
                    0,
                    "Same street? The open house is on the 14th at the community hall, according to the city's page.",
                    [
                        (5, "Thank you, I'll go. I hope they bring the insurance people too.", []),
                    ],
                ),
            ],
        ),
        (8, "Maps are only half of it. What's the plan for the culverts under the old rail bed?", []),
    ],
    "bus-routes": [
        (
            7,
            "Our bus is back as of Monday. It took a month of emails, but it worked.",
            [
                (
                    2,
                    "Glad to hear it. Route 9 still leaves the Heights kids walking along the highway, though.",
                    [],
                ),
            ],
        ),
    ],
    "cannery": [
        (
            10,
            "I worked the line there in '88. Strange and lovely to watch a concert where the freezers were.",
            [
                (
                    4,
                    "That's a wonderful detail. Did they keep any of the old machinery?",
                    [
                        (10, "The big brass scale is in the lobby. Nobody can lift it, so it stayed!", []),
                    ],
                ),
            ],
        ),
    ],
    "cedars": [
        (
            1,
            "My daughter's class planted forty of those. She's already asking when they'll be taller than her.",
            [],
        ),
        (9, "Is there a follow-up planting day planned for the fall? I'd like to volunteer.", []),
    ],
    "rye": [
        (
            4,
            "Their caraway loaf is worth the walk up Quarry Street. Go early, it sells out.",
            [
                (6, "Can confirm. I went at eleven and got the last one.", []),
            ],
        ),
    ],
    "otters": [
        (
            3,
            "What a season. I haven't heard the gym that loud since I was a student there.",
            [
                (
                    7,
                    "Is the final being streamed anywhere for those of us who can't travel?",
                    [
                        (
                            3,
                            "The school's athletics page says the league will stream it, link posted Friday.",
                            [],
                        ),
                    ],
                ),
            ],
        ),
        (11, "Congratulations to the coaches too, they've built this over years.", []),
    ],
    "waterfront": [
        (
            8,
            "Whatever the court decides, the city should have held a proper public meeting before the sale.",
            [],
        ),
        (
            0,
            "Looking forward to coverage of the hearing. Please explain the legal question in plain words.",
            [],
        ),
    ],
    "rain": [
        (
            6,
            "My rain barrels have been empty by mid-July for three years running. The chart matches that.",
            [],
        ),
    ],
}

# The busy article: openers, points and closers combine into a thousand different, civil comments.
BUSY_SLUG = "budget-vote"
OPENERS = [
    "I've lived in Port Alder for twenty years and",
    "Honestly,",
    "As a parent of two,",
    "Speaking as a retiree,",
    "From the Millbrook side of the river,",
    "I run a small shop downtown and",
    "Long-time reader here:",
    "Playing devil's advocate for a moment,",
    "After reading the whole staff report,",
    "My two cents:",
    "As someone who uses the branch every week,",
    "With respect to the councillors,",
    "Reading this over coffee,",
    "I was at the meeting, and",
    "As a former city employee,",
    "From a taxpayer's point of view,",
    "Just back from the library, and",
    "I didn't expect to care about this, but",
    "To be fair to both sides,",
    "As a teacher,",
    "Quick thought:",
    "I keep coming back to this story because",
    "Not to be gloomy, but",
    "On the bright side,",
]
POINTS = [
    "the library is the only warm, free place some people have in January",
    "a one-week delay is reasonable if it gets the numbers right",
    "I'd like to see what else was considered before cutting branch hours",
    "the Saturday story time is the reason half my street knows each other",
    "parks maintenance matters too, and shouldn't be played off against books",
    "council should publish the line-by-line budget before the next vote",
    "nine dollars a year per household sounds like a bargain for what we get",
    "the e-book licences alone have gone up a lot, and that's not the library's fault",
    "the Millbrook branch has been short-staffed since spring",
    "other towns our size have found ways to share costs with the region",
    "the youth programmes keep a lot of teenagers busy after school",
    "I'd rather pay a little more than lose the evening hours",
    "I wish the debate had started with what residents actually use",
    "the amendment looks like a compromise that nobody loves, which might be the point",
    "we need a long-term plan, not a scramble every budget season",
    "the job-search help at the branch got my neighbour back to work",
    "the building itself needs repairs that keep getting pushed to next year",
    "seniors rely on the home delivery service more than people realise",
    "it would help to know how many people visit each branch per week",
    "the reading room is where I learned English when we first arrived",
    "council did the right thing by listening instead of forcing a vote",
    "the public comment period should be longer for decisions like this",
    "the library budget is a tiny slice of the total and gets far too much of the fight",
    "cutting hours saves less than people think once you count the lost services",
    "volunteers can help, but they can't replace trained staff",
    "it's good to see so many people show up for a budget meeting",
    "maybe the city could look at the unused space in the old post office",
    "I'd support a small levy if it were spent only on the branches",
]
CLOSERS = [
    "Thanks for covering it so thoroughly.",
    "Looking forward to next Tuesday.",
    "Curious what others think.",
    "Hope council reads these comments.",
    "Let's see how the vote goes.",
    "Good reporting, as usual.",
    "I'll be writing to my councillor.",
    "Fingers crossed for a sensible outcome.",
    "Just my view, of course.",
    "",
    "",
    "",
    "Please keep following this story.",
    "See you at the meeting.",
]
REPLIES = [
    "Good point, I hadn't thought of it that way.",
    "I see it a bit differently, but I take your point.",
    "Agreed. The staff report backs this up.",
    "Do you know where those numbers come from?",
    "This is exactly what I said at the meeting!",
    "Thanks for explaining, that helps.",
    "Well put.",
    "I'm not sure the numbers support that, but it's worth asking.",
    "Same here. Our whole street signed the letter.",
    "That's a fair compromise, I think.",
    "Could you say more about the regional idea? I'd like to understand it.",
    "I used to think so too, until I saw the visitor counts.",
]
BUSY_NAMES_FIRST = [
    "Aileen",
    "Bram",
    "Celeste",
    "Dario",
    "Esme",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonah",
    "Kaia",
    "Lorne",
    "Mireille",
    "Niall",
    "Odile",
    "Piotr",
    "Quinn",
    "Rosalind",
    "Soren",
    "Thea",
]
BUSY_NAMES_LAST = ["B.", "D.", "F.", "G.", "H.", "M."]

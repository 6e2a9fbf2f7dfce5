"""Original fictional demo content for the Cupure newsroom demo.

Every place, person, institution, company, club and outlet named here is
invented. Tags deliberately include near-duplicate spellings so that tag
normalisation and related-story ranking can be exercised.
"""

SECTIONS = [
    {
        "name": "World news",
        "slug": "world",
        "description": (
            "Diplomacy, conflict and daily life across Veltria, Osmark, Carrow and the "
            "wider region, reported from the ground."
        ),
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": (
            "Parliaments, elections, parties and the people who run them, with a close "
            "eye on what new laws change."
        ),
    },
    {
        "name": "Business",
        "slug": "business",
        "description": (
            "Markets, central banks, trade and the companies shaping jobs and prices "
            "in the Amber Strait economies."
        ),
    },
    {
        "name": "Science",
        "slug": "science",
        "description": (
            "Climate, energy, research and the environment, explained with the data "
            "behind the headlines."
        ),
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": (
            "Museums, sport, the arts and the ideas people talk about when the news is "
            "switched off."
        ),
    },
]

AUTHORS = [
    {
        "name": "Ines Okafor",
        "slug": "ines-okafor",
        "bio": (
            "Ines Okafor is Cupure's diplomatic correspondent. She has covered talks "
            "between Veltria and Osmark for nine years."
        ),
    },
    {
        "name": "Tomas Reyval",
        "slug": "tomas-reyval",
        "bio": (
            "Tomas Reyval covers parliaments and elections from Dravik. He previously "
            "reported on local government in Port Callis."
        ),
    },
    {
        "name": "Mira Castellane",
        "slug": "mira-castellane",
        "bio": (
            "Mira Castellane is Cupure's business editor, writing about trade, "
            "shipping and central banks."
        ),
    },
    {
        "name": "Jonah Prell",
        "slug": "jonah-prell",
        "bio": (
            "Jonah Prell writes about climate, energy and research. He trained as a "
            "marine biologist before moving into journalism."
        ),
    },
    {
        "name": "Adaeze Lund",
        "slug": "adaeze-lund",
        "bio": (
            "Adaeze Lund reports on museums, heritage and the arts across the region."
        ),
    },
    {
        "name": "Piet Varga",
        "slug": "piet-varga",
        "bio": (
            "Piet Varga is Cupure's correspondent in Lenhaven, covering Osmark and the "
            "communities of the Amber Strait."
        ),
    },
    {
        "name": "Selin Haddad",
        "slug": "selin-haddad",
        "bio": (
            "Selin Haddad is a data reporter who works on polling, public health and "
            "weather stories."
        ),
    },
    {
        "name": "Rowan Achterberg",
        "slug": "rowan-achterberg",
        "bio": (
            "Rowan Achterberg covers football and the business and politics around it."
        ),
    },
]

LEAD_INS = [
    "Why it matters:",
    "The big picture:",
    "The intrigue:",
    "What they're saying:",
    "Catch up quick:",
    "Flashback:",
    "Zoom out:",
    "Between the lines:",
    "By the numbers:",
    "What's next:",
    "Go deeper:",
]

STORIES = [
    {
        "slug": "harbour-summit-ends-without-deal",
        "headline": (
            '"Not there yet": Harbour Summit ends without a deal on the Amber Strait'
        ),
        "dek": (
            "Veltria and Osmark closed three days of talks in Port Callis with warm "
            "words, a joint photo and no signed text on tariffs, fishing rights or "
            "port fees."
        ),
        "section": "world",
        "authors": ["ines-okafor", "piet-varga"],
        "hours_ago": 1,
        "tags": ["harbour summit", "veltria", "osmark", "trade deal", "amber strait"],
        "source_name": "The Meridian Wire",
        "source_url": "https://example.com/meridian/world/harbour-summit-closes",
        "go_deeper": "harbour-summit-opens-with-14-disputes",
        "body": [
            (
                "",
                "The Harbour Summit between Veltria and Osmark ended Thursday evening "
                "in Port Callis without an agreement, after negotiators failed to "
                "close gaps on four of the 14 disputed points on the table.",
            ),
            (
                "The intrigue:",
                "Veltrian Prime Minister Casimir Orlen and Osmark President Elin "
                'Maartens both called the talks "constructive," but neither signed '
                "the draft communique circulated on Wednesday night.",
            ),
            (
                "Why it matters:",
                "Roughly a third of Veltria's grain exports and most of Osmark's fuel "
                "imports cross the Amber Strait, where overlapping port fees have "
                "slowed traffic since the spring.",
            ),
            (
                "",
                "Shipping firms had widely expected a deal and had priced in lower "
                "fees from next month.",
            ),
            (
                "What they're saying:",
                '"We are not there yet, but we are closer than we have been in a '
                'decade," Maartens told reporters on the quayside, according to The '
                "Meridian Wire.",
            ),
            (
                "",
                'Orlen said the remaining issues were "technical, not political" '
                "and that officials would keep working through the weekend.",
            ),
            (
                "Between the lines:",
                "Two officials familiar with the talks said the sticking points were "
                "fishing quotas on the Tessmund banks and who pays to dredge the "
                "strait's eastern channel.",
            ),
            (
                "What's next:",
                "Carrow's foreign secretary, Amara Thorne, who hosted the talks, said "
                'a second round could be held "within weeks," though no date has '
                "been set.",
            ),
        ],
    },
    {
        "slug": "veltria-opposition-demands-summit-vote",
        "headline": (
            "Veltrian opposition demands parliamentary vote on any Harbour Summit "
            "accord"
        ),
        "dek": (
            "The Civic Union says an agreement on the Amber Strait would change "
            "fishing rights in law and cannot be approved by cabinet decree alone."
        ),
        "section": "politics",
        "authors": ["tomas-reyval"],
        "hours_ago": 3,
        "tags": ["veltrias", "harbour-summit", "parliament", "elections"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "veltria-sets-snap-election-date",
        "body": [
            (
                "",
                "Veltria's main opposition party on Thursday called for a binding "
                "parliamentary vote on any agreement reached with Osmark at the "
                "Harbour Summit.",
            ),
            (
                "Why it matters:",
                "Prime Minister Casimir Orlen's coalition holds 113 of the 220 seats "
                "in the National Assembly, two more than it needs for a majority, and "
                "at least three of its own members have voiced doubts about "
                "concessions on fishing.",
            ),
            (
                "What they're saying:",
                '"An accord that redraws where our crews can fish is not a footnote '
                'for ministers to sign on a ferry," Civic Union leader Marek Stoyan '
                "said in the chamber.",
            ),
            (
                "",
                "A government spokesperson, Livia Brandt, said the cabinet would "
                '"respect every constitutional step" but declined to commit to a '
                "vote.",
            ),
            (
                "Catch up quick:",
                "The summit in Port Callis closed without a signed text, leaving "
                "officials from both countries to continue talks on the remaining "
                "disputed points.",
            ),
            (
                "What's next:",
                "The Assembly's foreign affairs committee is due to question Foreign "
                "Minister Aurelia Danecki on Tuesday.",
            ),
        ],
    },
    {
        "slug": "strait-insurers-raise-premiums",
        "headline": "Marine insurers raise Amber Strait premiums as summit stalls",
        "dek": (
            "Underwriters added a surcharge of up to 0.4% of cargo value for vessels "
            "crossing the strait, citing uncertainty over port fees and delays."
        ),
        "section": "business",
        "authors": ["mira-castellane"],
        "hours_ago": 6,
        "tags": ["amber strait", "shipping", "harboursummit", "insurance"],
        "source_name": "Carrow Shipping Gazette",
        "source_url": (
            "https://example.com/carrow-shipping-gazette/amber-strait-premiums"
        ),
        "go_deeper": "leaked-trade-deal-draft-tariffs",
        "body": [
            (
                "",
                "Several marine insurers increased premiums on Amber Strait crossings "
                "on Thursday, hours after the Harbour Summit ended without a deal.",
            ),
            (
                "By the numbers:",
                "Northgate Marine Mutual, the largest underwriter on the route, added "
                "a surcharge of 0.25% to 0.4% of cargo value, according to the Carrow "
                "Shipping Gazette. On a typical grain carrier, that adds about 38,000 "
                "crowns per voyage.",
            ),
            (
                "",
                "Average waiting times at the strait's eastern channel have risen to "
                "31 hours, up from nine in January.",
            ),
            (
                "The big picture:",
                "Shippers had expected an agreement to harmonise port fees charged "
                "separately by Veltria and Osmark, which have doubled since both "
                "sides introduced new levies in March.",
            ),
            (
                "What they're saying:",
                '"Markets were priced for a handshake and a signature. They got the '
                'handshake," said Paula Crane, head of underwriting at Northgate.',
            ),
            (
                "Zoom out:",
                "Freight rates for grain between Tessmund and Lenhaven rose 6% on the "
                "day, while shares in Strait Line Ferries fell 3.1%.",
            ),
        ],
    },
    {
        "slug": "port-callis-police-clear-protest-camp",
        "headline": "Port Callis police clear protest camp outside summit venue",
        "dek": (
            "Officers removed about 60 tents set up by fishing families and climate "
            "campaigners near the Old Customs House, detaining 23 people."
        ),
        "section": "world",
        "authors": ["ines-okafor"],
        "hours_ago": 9,
        "tags": ["police", "port callis", "protests", "harbour summit"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "harbour-summit-ends-without-deal",
        "body": [
            (
                "",
                "Police in Port Callis cleared a protest camp outside the Harbour "
                "Summit venue early Thursday, detaining 23 people after a dispersal "
                "order expired at 5 a.m.",
            ),
            (
                "Catch up quick:",
                "The camp, about 60 tents on the waterfront near the Old Customs "
                "House, had grown through the week as fishing families from Veltria "
                "and Osmark joined climate groups opposed to dredging the strait.",
            ),
            (
                "What they're saying:",
                "\"The order was issued with 48 hours' notice and the great majority "
                'left peacefully," Commissioner Felix Arden told a briefing.',
            ),
            (
                "",
                "Organisers disputed that account, saying officers had moved in "
                "before many people were awake.",
            ),
            (
                "Between the lines:",
                'Carrow\'s government had promised a "visible but light" security '
                "presence, and the clearance drew criticism from two members of the "
                "city council.",
            ),
            (
                "By the numbers:",
                "About 1,400 officers were deployed across the city during the "
                "three-day summit, the largest operation in Port Callis since a port "
                "strike in 2019.",
            ),
            ("", "All but four of those detained had been released by the afternoon."),
        ],
    },
    {
        "slug": "brisa-heatwave-breaks-record",
        "headline": (
            "Brisa records 41.2C as heatwave breaks a 70-year-old national record"
        ),
        "dek": (
            "Osmark's southern port city logged its hottest day since measurements "
            "began, with forecasters warning the heat will last into next week."
        ),
        "section": "science",
        "authors": ["jonah-prell", "selin-haddad"],
        "hours_ago": 14,
        "tags": ["heatwave", "climate", "brisa", "osmark"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "carrow-wildfires-heat-wave",
        "body": [
            (
                "",
                "The Osmark city of Brisa recorded a temperature of 41.2C on "
                "Wednesday afternoon, breaking a national record set in 1955, the "
                "Osmark Meteorological Institute said.",
            ),
            (
                "Why it matters:",
                "The previous record of 40.1C had stood for 70 years. Three of the "
                "five hottest days in Osmark's records have now occurred in the past "
                "four summers.",
            ),
            (
                "By the numbers:",
                "Brisa's hospitals reported 214 heat-related admissions over three "
                "days, about four times the seasonal average.",
            ),
            ("", "Overnight temperatures did not fall below 27C."),
            (
                "What they're saying:",
                '"This is the pattern our climate projections described for the '
                '2040s, arriving early," said Dr. Saskia Lindqvist, a senior '
                "climatologist at the institute.",
            ),
            (
                "What's next:",
                "Forecasters expect a slight easing on Saturday before a second peak "
                "early next week. The city has extended opening hours at 18 public "
                "cooling centres.",
            ),
        ],
    },
    {
        "slug": "lenhaven-rovers-win-northern-cup",
        "headline": "Lenhaven Rovers win Northern Cup for the first time in 31 years",
        "dek": (
            "A late header from 19-year-old Tobias Hale gave the Osmark club a 2-1 win "
            "over Dravik Athletic in front of 44,000 fans."
        ),
        "section": "culture",
        "authors": ["rowan-achterberg"],
        "hours_ago": 20,
        "tags": ["football", "lenhaven rovers", "Osmark "],
        "source_name": "",
        "source_url": "",
        "go_deeper": "stadium-heat-rules-football",
        "body": [
            (
                "",
                "Lenhaven Rovers won the Northern Cup on Wednesday night, beating "
                "Veltria's Dravik Athletic 2-1 with a header in the 88th minute.",
            ),
            (
                "The big picture:",
                "It is the club's first major trophy since 1994, and the first time "
                "in a decade that the final has been played between sides from Osmark "
                "and Veltria.",
            ),
            (
                "",
                "Teenage forward Tobias Hale scored the winner from a corner, five "
                "minutes after coming on as a substitute.",
            ),
            (
                "What they're saying:",
                '"I told him to stand at the back post and be patient. He listened '
                'for once," Rovers coach Daniel Okonjo said afterwards.',
            ),
            (
                "Flashback:",
                "Rovers were relegated to the second tier in 2017 and came close to "
                "administration two years later, before a supporters' trust bought a "
                "controlling stake.",
            ),
            (
                "What's next:",
                "The team will parade the trophy through central Lenhaven on "
                "Saturday. City officials expect more than 100,000 people.",
            ),
        ],
    },
    {
        "slug": "amber-strait-fishing-crews-wait",
        "headline": "On the Amber Strait, fishing crews wait for word from Port Callis",
        "dek": (
            "In the Veltrian harbour of Tessmund, skippers say a summit deal on quotas "
            "will decide whether their boats stay in the water next year."
        ),
        "section": "world",
        "authors": ["piet-varga"],
        "hours_ago": 27,
        "tags": ["amber strait", "fisheries", "veltria", "harbour summit"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "amber-strait-seagrass-survey",
        "body": [
            (
                "",
                "In Tessmund, a harbour town of 9,000 on Veltria's northern coast, "
                "about 40 trawlers have stayed tied up this week as crews follow the "
                "Harbour Summit on their phones.",
            ),
            (
                "Why it matters:",
                "The Tessmund banks, a shallow stretch of water claimed by both "
                "Veltria and Osmark, supply nearly half of Veltria's herring catch.",
            ),
            (
                "",
                "Since March, boats from both countries have been turned back by "
                "patrol vessels on 26 occasions.",
            ),
            (
                "What they're saying:",
                "\"We don't need the politicians to love each other. We need a line "
                'on a map that stays in the same place," said Joris Kaplan, who has '
                "skippered the trawler Maren for 22 years.",
            ),
            (
                "Zoom out:",
                "Fishing employs about 2% of Veltria's workforce but remains central "
                "to the identity of its northern provinces, where Prime Minister "
                "Casimir Orlen's party won every seat at the last election.",
            ),
            (
                "Between the lines:",
                "Local officials say younger crew members have begun leaving for jobs "
                "in the ports of Lenhaven, across the strait.",
            ),
            (
                "What's next:",
                "The Veltrian fisheries ministry has said it will decide on next "
                "season's licences only after the summit talks conclude.",
            ),
        ],
    },
    {
        "slug": "osmark-central-bank-holds-rates",
        "headline": "Bank of Osmark holds rates at 3.75%, citing strait uncertainty",
        "dek": (
            "Governor Rasmus Keel said disruption on the Amber Strait was pushing up "
            "fuel costs and made it too early to resume cutting borrowing costs."
        ),
        "section": "business",
        "authors": ["mira-castellane"],
        "hours_ago": 35,
        "tags": ["central bank", "osmark", "inflation", "interest rates"],
        "source_name": "The Lenhaven Ledger",
        "source_url": (
            "https://example.org/lenhaven-ledger/markets/bank-of-osmark-holds"
        ),
        "go_deeper": "leaked-trade-deal-draft-tariffs",
        "body": [
            (
                "",
                "The Bank of Osmark kept its main interest rate at 3.75% on "
                "Wednesday, pausing a cycle of cuts that began last autumn.",
            ),
            (
                "Why it matters:",
                "Markets had priced in a quarter-point cut as recently as last month, "
                "and the decision lifted the Osmark crown 0.8% against the Veltrian "
                "mark.",
            ),
            (
                "By the numbers:",
                "Inflation rose to 3.4% in the year to June, from 2.9% in May, driven "
                "largely by fuel and shipping costs.",
            ),
            (
                "What they're saying:",
                '"We cannot look through a shock whose length we do not know," '
                "Governor Rasmus Keel told reporters, according to The Lenhaven "
                "Ledger.",
            ),
            (
                "",
                "Two of the seven members of the monetary policy board voted for a "
                "cut.",
            ),
            (
                "Between the lines:",
                "Keel said a successful outcome at the Harbour Summit could lower "
                'import costs "quite quickly," signalling that cuts could resume if '
                "port fees fall.",
            ),
            ("What's next:", "The board next meets on September 18."),
        ],
    },
    {
        "slug": "harbour-summit-opens-with-14-disputes",
        "headline": "Harbour Summit opens with a handshake and 14 disputed points",
        "dek": (
            "The leaders of Veltria and Osmark met in Port Callis for the first formal "
            "talks between the neighbours in 11 years."
        ),
        "section": "world",
        "authors": ["ines-okafor"],
        "hours_ago": 46,
        "tags": ["Harbour Summit", "veltria", "Osmark ", "port callis"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "harbour-summit-explainer-what-is-at-stake",
        "body": [
            (
                "",
                "The Harbour Summit opened in Port Callis on Tuesday, with Veltrian "
                "Prime Minister Casimir Orlen and Osmark President Elin Maartens "
                "shaking hands on the steps of the Old Customs House.",
            ),
            (
                "The big picture:",
                "It is the first formal meeting between leaders of the two countries "
                "since 2014, when talks on a shared strait authority broke down over "
                "dredging costs.",
            ),
            (
                "By the numbers:",
                "Negotiators have listed 14 disputed points, covering port fees, "
                "fishing quotas, pilotage rules, grain tariffs and the upkeep of the "
                "strait's eastern channel.",
            ),
            (
                "",
                'Officials said 10 of those were "substantially agreed" before the '
                "leaders arrived.",
            ),
            (
                "What they're saying:",
                '"We are neighbours who share one stretch of water. It is time we '
                'shared the rules too," Maartens said in brief opening remarks.',
            ),
            (
                "The intrigue:",
                "Orlen arrived by ferry from Tessmund rather than by air, a choice "
                "his aides described as a message to the fishing communities watching "
                "the talks.",
            ),
            (
                "What's next:",
                "The leaders are due to hold two days of closed sessions, with "
                "Carrow's foreign secretary, Amara Thorne, acting as host and "
                "mediator.",
            ),
        ],
    },
    {
        "slug": "veltria-sets-snap-election-date",
        "headline": "Veltria sets snap election for October 12, a year early",
        "dek": (
            "Prime Minister Casimir Orlen said he wanted a fresh mandate before any "
            "long-term accord with Osmark is put to parliament."
        ),
        "section": "politics",
        "authors": ["tomas-reyval", "selin-haddad"],
        "hours_ago": 58,
        "tags": ["elections", "veltria", "parliament"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "veltria-opposition-demands-summit-vote",
        "body": [
            (
                "",
                "Veltria will hold a general election on October 12, Prime Minister "
                "Casimir Orlen announced on Monday, more than a year before the end "
                "of the parliamentary term.",
            ),
            (
                "Why it matters:",
                "The vote will in effect double as a referendum on Orlen's approach "
                "to Osmark, with the Harbour Summit talks still under way.",
            ),
            (
                "By the numbers:",
                "Orlen's Progress Alliance polled at 31% in the latest survey by the "
                "Dravik Institute for Public Opinion, two points behind the "
                "opposition Civic Union at 33%.",
            ),
            ("", "About 18% of voters said they were undecided."),
            (
                "What they're saying:",
                '"If we are going to sign something that lasts for 30 years, the '
                'people should choose who signs it," Orlen said in a televised '
                "address.",
            ),
            (
                "",
                'Civic Union leader Marek Stoyan called the timing "an attempt to '
                'outrun the consequences of a bad deal."',
            ),
            (
                "Flashback:",
                "Veltria's last snap election, in 2011, was also called during a "
                "dispute with Osmark, that time over gas transit fees. The governing "
                "party lost 19 seats.",
            ),
        ],
    },
    {
        "slug": "amber-strait-seagrass-survey",
        "headline": (
            "Survey finds Amber Strait seagrass meadows shrank by a fifth in a decade"
        ),
        "dek": (
            "Researchers say warmer water and dredging are both to blame, and warn "
            "that fish nurseries on the Tessmund banks are at risk."
        ),
        "section": "science",
        "authors": ["jonah-prell"],
        "hours_ago": 72,
        "tags": ["climates", "amber strait", "fisheries", "research"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "northern-glaciers-retreat-study",
        "body": [
            (
                "",
                "Seagrass meadows in the Amber Strait have shrunk by about 21% since "
                "2014, according to a survey published Monday by the Amber Strait "
                "Marine Station.",
            ),
            (
                "Why it matters:",
                "The meadows act as nurseries for herring and cod, including stocks "
                "on the Tessmund banks that fishing crews from Veltria and Osmark "
                "both depend on.",
            ),
            (
                "By the numbers:",
                "The team mapped 412 square kilometres of seagrass using drones and "
                "divers, down from 523 square kilometres in the previous full survey.",
            ),
            (
                "",
                "Losses were heaviest near the eastern channel, which has been "
                "dredged four times since 2016.",
            ),
            (
                "What they're saying:",
                '"You can see the line where the sediment plumes stop and the '
                "meadows start again,\" said Dr. Kofi Hallam, the study's lead author.",
            ),
            (
                "Zoom out:",
                "Summer surface temperatures in the strait have risen by about 1.1C "
                "over three decades, a trend Hallam said was stressing the plants "
                "even where dredging has not reached them.",
            ),
            (
                "What's next:",
                "The station has asked negotiators at the Harbour Summit to include a "
                "joint monitoring programme in any agreement on the channel.",
            ),
        ],
    },
    {
        "slug": "dravik-museum-returns-carved-panels",
        "headline": "Veltria's national museum to return carved panels to Osmark abbey",
        "dek": (
            "Nineteen oak panels removed from Halde Abbey in 1911 will go back on "
            "display in the building they were carved for."
        ),
        "section": "culture",
        "authors": ["adaeze-lund"],
        "hours_ago": 90,
        "tags": ["museums", "veltrias", "osmark", "restitution"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "lenhaven-museums-strike",
        "body": [
            (
                "",
                "The National Museum of Veltria in Dravik said on Friday it would "
                "return 19 carved oak panels to Halde Abbey in Osmark, more than a "
                "century after they were removed.",
            ),
            (
                "Flashback:",
                "The panels, carved in the 1490s with scenes from the lives of local "
                "saints, were bought by a Veltrian collector in 1911 while the abbey "
                "was being restored, and given to the museum in 1936.",
            ),
            (
                "Why it matters:",
                "Museum officials said it was the largest return of objects between "
                "the two countries and the first agreed without a formal claim.",
            ),
            (
                "What they're saying:",
                '"They were made for a particular wall, in a particular light. That '
                'is where they make sense," museum director Hana Morrow said.',
            ),
            (
                "",
                "Osmark's culture ministry said the panels would be reinstalled in "
                "the abbey's north chapel by next spring.",
            ),
            (
                "Between the lines:",
                "The announcement came days before the Harbour Summit, and officials "
                "in both capitals described it as a gesture of goodwill.",
            ),
        ],
    },
    {
        "slug": "carrow-wildfires-heat-wave",
        "headline": (
            "Wildfires force 3,000 from homes in Carrow as heat wave spreads north"
        ),
        "dek": (
            "Firefighters in Carrow's western hills are battling three blazes, while "
            "neighbouring Osmark issues its highest heat warning for five regions."
        ),
        "section": "world",
        "authors": ["selin-haddad"],
        "hours_ago": 110,
        "tags": ["heat wave", "climate", "carrow", "wildfires"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "brisa-heatwave-breaks-record",
        "body": [
            (
                "",
                "About 3,000 people were evacuated from villages in Carrow's western "
                "hills on Friday as three wildfires spread through dry pine forest.",
            ),
            (
                "By the numbers:",
                "The fires have burned about 4,600 hectares since Wednesday, "
                "according to Carrow's civil protection agency. Two firefighters have "
                "been treated for burns.",
            ),
            ("", "No deaths have been reported."),
            (
                "The big picture:",
                "The heat wave that began in southern Osmark last week has moved "
                "north and west, with temperatures above 38C recorded at 11 weather "
                "stations across the region.",
            ),
            (
                "What they're saying:",
                '"The wind is the problem, not the manpower," said Carmen Ilves, '
                "the agency's operations chief, adding that gusts of up to 60 km/h "
                "had pushed one fire across a motorway.",
            ),
            (
                "Zoom out:",
                "Carrow has had three of its four worst fire seasons since 2018, and "
                "the government has doubled spending on aerial firefighting over that "
                "period.",
            ),
            (
                "What's next:",
                "Forecasters expect winds to drop on Sunday, which officials hope "
                "will allow crews to contain the largest fire.",
            ),
        ],
    },
    {
        "slug": "halvern-semiconductors-new-plant",
        "headline": "Chip maker Halvern to build 2.1 billion mark plant outside Dravik",
        "dek": (
            "The Veltrian firm says the factory will make power chips for electric "
            "buses and grid equipment and employ 1,200 people by 2029."
        ),
        "section": "business",
        "authors": ["mira-castellane", "selin-haddad"],
        "hours_ago": 135,
        "tags": ["chip makers", "veltria", "manufacturing", "amber strait"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "dravik-university-sodium-battery",
        "body": [
            (
                "",
                "Halvern Semiconductors will build a 2.1 billion mark factory on the "
                "outskirts of Dravik, the Veltrian chip maker said on Thursday, its "
                "largest investment to date.",
            ),
            (
                "Why it matters:",
                "The plant would roughly double Veltria's chip-making capacity and is "
                "the biggest private industrial project in the country in more than a "
                "decade.",
            ),
            (
                "By the numbers:",
                "Halvern expects to employ 1,200 people at the site by 2029. The "
                "government will contribute 340 million marks in grants and tax "
                "relief.",
            ),
            (
                "What they're saying:",
                '"We are not trying to compete with the giants on smartphone chips. '
                'We are building the chips that move electricity around," chief '
                "executive Ilse Brandvold said.",
            ),
            (
                "Between the lines:",
                "About 40% of Halvern's raw materials arrive through the Amber "
                "Strait, and Brandvold said the company had built extra storage into "
                "the design to cope with shipping delays.",
            ),
            ("", "Shares in Halvern rose 7.2% in Dravik."),
            (
                "What's next:",
                "Construction is due to begin in the first quarter of next year, "
                "subject to an environmental review of the plant's water use.",
            ),
        ],
    },
    {
        "slug": "harbour-summit-explainer-what-is-at-stake",
        "headline": "Explainer: What is at stake at the Harbour Summit",
        "dek": (
            "Port fees, fishing quotas and a silted shipping channel: a guide to the "
            "disputes Veltria and Osmark will try to settle in Port Callis."
        ),
        "section": "world",
        "authors": ["ines-okafor"],
        "hours_ago": 160,
        "tags": ["harboursummit", "Veltria", "osmark", "tradedeal", "explainer"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "veltria-osmark-announce-harbour-summit",
        "body": [
            (
                "",
                "Leaders of Veltria and Osmark will meet in Port Callis next week for "
                "the Harbour Summit, the first formal talks between the two "
                "neighbours in more than a decade.",
            ),
            (
                "Catch up quick:",
                "The Amber Strait, 38 kilometres wide at its narrowest, separates the "
                "two countries. Both charge ships to use their ports and approaches, "
                "and both raised those fees sharply in March.",
            ),
            (
                "The big picture:",
                "About 14,000 commercial vessels crossed the strait last year. Delays "
                "and duplicated fees have added an estimated 9% to the cost of moving "
                "goods between the two countries.",
            ),
            (
                "Between the lines:",
                "The hardest issue is not money but water: who controls fishing on "
                "the Tessmund banks, and who pays to keep the strait's eastern "
                "channel deep enough for large vessels.",
            ),
            (
                "Flashback:",
                "A 2014 attempt to create a shared strait authority collapsed after "
                "the two sides could not agree how to split dredging costs, then "
                "estimated at 60 million crowns a year.",
            ),
            (
                "What they're saying:",
                '"Everyone agrees on the destination. The argument is about who pays '
                'for the fuel," said Miriam Osei, a lecturer in maritime law at the '
                "University of Port Callis.",
            ),
            (
                "What's next:",
                "Carrow's foreign secretary, Amara Thorne, will host the talks at the "
                "Old Customs House from Tuesday.",
            ),
        ],
    },
    {
        "slug": "osmark-police-accountability-bill",
        "headline": (
            "Osmark parliament passes police accountability bill after 14-hour debate"
        ),
        "dek": (
            "The law creates an independent complaints office and requires officers to "
            "wear body cameras during public order operations."
        ),
        "section": "politics",
        "authors": ["tomas-reyval"],
        "hours_ago": 190,
        "tags": ["police", "osmark", "parliament"],
        "source_name": "Osmark Public Radio",
        "source_url": "https://example.org/osmark-public-radio/news/police-bill-passes",
        "go_deeper": "port-callis-police-clear-protest-camp",
        "body": [
            (
                "",
                "Osmark's parliament passed a police accountability bill early on "
                "Thursday after a 14-hour debate, by 97 votes to 81.",
            ),
            (
                "Why it matters:",
                "The law creates Osmark's first complaints office independent of the "
                "police, with powers to compel officers to give evidence.",
            ),
            (
                "Catch up quick:",
                "The bill was drafted after a 2023 inquiry into the policing of dock "
                "workers' protests in Lenhaven, which found that complaints had taken "
                "an average of 19 months to resolve.",
            ),
            (
                "What they're saying:",
                '"Trust is not a favour the public does for the police. It has to be '
                'earned, and checked," Interior Minister Lotte Varde told lawmakers, '
                "according to Osmark Public Radio.",
            ),
            (
                "",
                "The national police federation said it supported the complaints "
                "office but warned that the body-camera rules would cost 40 million "
                "crowns to implement.",
            ),
            (
                "What's next:",
                "The new office is due to open in January, with a director to be "
                "nominated by a cross-party committee.",
            ),
        ],
    },
    {
        "slug": "dravik-university-sodium-battery",
        "headline": (
            "Dravik researchers report sodium battery that survives 8,000 charge cycles"
        ),
        "dek": (
            "A University of Dravik team says its cell lost less than a fifth of its "
            "capacity over the equivalent of two decades of daily use."
        ),
        "section": "science",
        "authors": ["jonah-prell"],
        "hours_ago": 230,
        "tags": ["chipmakers", "batteries", "research", "veltria"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "halvern-semiconductors-new-plant",
        "body": [
            (
                "",
                "Researchers at the University of Dravik say they have built a "
                "sodium-ion battery cell that kept 82% of its capacity after 8,000 "
                "full charge cycles in laboratory tests.",
            ),
            (
                "Why it matters:",
                "Sodium is far more abundant than lithium, and batteries that last "
                "this long could make storing wind and solar power cheaper for grid "
                "operators.",
            ),
            (
                "Between the lines:",
                "The results, published in the Veltrian Journal of Electrochemistry, "
                "come from small pouch cells. Scaling up is where many promising "
                "battery designs have failed.",
            ),
            (
                "What they're saying:",
                '"We have a good recipe. Now we need to show we can cook for a '
                'thousand people," said Prof. Teodor Vance, who led the team.',
            ),
            (
                "",
                "Halvern Semiconductors, which part-funded the work, said it would "
                "test the cells with its power-control chips next year.",
            ),
            (
                "By the numbers:",
                "The project received 6.5 million marks over four years, about a "
                "third of it from Halvern.",
            ),
        ],
    },
    {
        "slug": "lenhaven-museums-strike",
        "headline": "Lenhaven's museums close for three days as staff strike over pay",
        "dek": (
            "The city's seven municipal museums shut their doors at the start of the "
            "summer season after talks between the union and the council broke down."
        ),
        "section": "culture",
        "authors": ["adaeze-lund"],
        "hours_ago": 270,
        "tags": ["museum", "lenhaven", "strikes"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "dravik-museum-returns-carved-panels",
        "body": [
            (
                "",
                "All seven municipal museums in Lenhaven closed on Monday at the "
                "start of a three-day strike by front-of-house, conservation and "
                "security staff.",
            ),
            (
                "Why it matters:",
                "The strike falls in the busiest weeks of the year. The museums drew "
                "about 1.6 million visitors last year, roughly 40% of them between "
                "June and August.",
            ),
            (
                "What they're saying:",
                "\"Our conservators have master's degrees and earn less than the "
                "people who park the council's cars,\" said Annika Rhee, a "
                "representative of the Culture Workers' Federation.",
            ),
            (
                "",
                "The city council said it had offered a 4.5% rise over two years and "
                "that the union's demand of 9% was unaffordable.",
            ),
            (
                "Zoom out:",
                "Museum staff in Brisa and two smaller Osmark cities have voted to "
                "take similar action later in the summer.",
            ),
            (
                "What's next:",
                "Talks are due to resume on Thursday under a mediator from Osmark's "
                "labour relations service.",
            ),
        ],
    },
    {
        "slug": "leaked-trade-deal-draft-tariffs",
        "headline": (
            "Leaked draft shows Veltria and Osmark weighing zero tariffs on grain and "
            "steel"
        ),
        "dek": (
            "A 23-page negotiating text seen by The Meridian Wire would phase out "
            "duties over five years and commit both central banks to consult on "
            "currency moves."
        ),
        "section": "business",
        "authors": ["mira-castellane", "piet-varga"],
        "hours_ago": 320,
        "tags": ["trade-deal", "tariffs", "OSMARK", "veltria", "centralbank"],
        "source_name": "The Meridian Wire",
        "source_url": "https://example.com/meridian/business/leaked-trade-draft",
        "go_deeper": "harbour-summit-explainer-what-is-at-stake",
        "body": [
            (
                "",
                "Veltria and Osmark are considering a trade deal that would phase out "
                "tariffs on grain, steel and fertiliser over five years, according to "
                "a draft text reported by The Meridian Wire.",
            ),
            (
                "Why it matters:",
                "Tariffs of 8% to 14% on those goods have been in place since 2016. "
                "Removing them would be the biggest change in trade between the "
                "neighbours in a generation.",
            ),
            (
                "Between the lines:",
                "The draft, dated last month, includes a clause committing the Bank "
                'of Osmark and the Central Bank of Veltria to "consult in advance" '
                "on major currency interventions, a step analysts described as "
                "unusual for a trade text.",
            ),
            (
                "",
                "Several passages are marked as not yet agreed, including the entire "
                "chapter on fishing.",
            ),
            (
                "What they're saying:",
                '"Drafts circulate. Nothing is agreed until everything is agreed," '
                "Osmark Trade Minister Henrik Solvang said when asked about the "
                "document.",
            ),
            (
                "By the numbers:",
                "Trade between the two countries was worth about 11 billion crowns "
                "last year, according to Osmark's statistics office.",
            ),
            (
                "What's next:",
                "Officials said the trade chapter would be one of several packages "
                "considered at the Harbour Summit.",
            ),
        ],
    },
    {
        "slug": "veltria-osmark-ferry-link-suspended",
        "headline": "Strait Line suspends Tessmund-Lenhaven ferry as crews walk out",
        "dek": (
            "The only passenger link across the Amber Strait will be halted for at "
            "least a week after deckhands and engineers went on strike over shift "
            "patterns."
        ),
        "section": "world",
        "authors": ["piet-varga"],
        "hours_ago": 380,
        "tags": ["ferries", "veltria", "osmark", "strikes", "amber strait"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "amber-strait-fishing-crews-wait",
        "body": [
            (
                "",
                "Strait Line Ferries suspended its Tessmund-Lenhaven service on "
                "Tuesday after about 200 crew members walked out in a dispute over "
                "shift patterns.",
            ),
            (
                "Why it matters:",
                "The route is the only direct passenger crossing between Veltria and "
                "Osmark, carrying about 4,000 passengers and 600 lorries a day in "
                "summer.",
            ),
            (
                "",
                "Travellers face a detour of about nine hours by road through Carrow.",
            ),
            (
                "What they're saying:",
                '"We have been told to work 14-day rotations with no extra rest. '
                'That is not safe on a crossing like this one," said engineer Niko '
                "Brill, a spokesman for the crews.",
            ),
            (
                "",
                "The company said the new rota complied with maritime law and that it "
                'would "meet the unions at any time."',
            ),
            (
                "Zoom out:",
                "The walkout adds to pressure on the strait, where freight traffic is "
                "already slowed by a dispute over port fees between the two "
                "governments.",
            ),
            (
                "What's next:",
                "Strait Line said services would not resume before next Wednesday.",
            ),
        ],
    },
    {
        "slug": "northern-glaciers-retreat-study",
        "headline": (
            "Osmark's northern glaciers have lost a quarter of their ice since 2000, "
            "study finds"
        ),
        "dek": (
            "Satellite and field measurements show the Skarde ice field thinning "
            "fastest at its lower edges, with some smaller glaciers likely to vanish "
            "by 2060."
        ),
        "section": "science",
        "authors": ["jonah-prell"],
        "hours_ago": 450,
        "tags": ["Climate", "glaciers", "research", "osmark"],
        "source_name": "Boreal Science Review",
        "source_url": "https://example.org/boreal-science-review/skarde-ice-field",
        "go_deeper": "amber-strait-seagrass-survey",
        "body": [
            (
                "",
                "Glaciers in Osmark's northern mountains have lost about 26% of their "
                "ice volume since 2000, according to a study by the Osmark Polar "
                "Institute.",
            ),
            (
                "By the numbers:",
                "The Skarde ice field, the country's largest, has thinned by an "
                "average of 38 metres at its lower edges. Of 112 glaciers surveyed, "
                "17 have split into smaller fragments.",
            ),
            (
                "Why it matters:",
                "Meltwater from the ice field feeds rivers that supply hydropower for "
                "about a fifth of Osmark's electricity.",
            ),
            (
                "What they're saying:",
                '"In the short term, melting means more water for the turbines. In '
                'the long term, it means much less," said Dr. Ewa Martell, the '
                "study's lead author, according to the Boreal Science Review.",
            ),
            (
                "",
                "The study projects that most glaciers smaller than one square "
                "kilometre will disappear by 2060 if current warming trends continue.",
            ),
            (
                "What's next:",
                "The institute plans to install eight new monitoring stations on the "
                "ice field next summer.",
            ),
        ],
    },
    {
        "slug": "carrow-mayor-race-summit-host",
        "headline": (
            "Port Callis mayoral race turns on the cost of hosting the Harbour Summit"
        ),
        "dek": (
            "Challenger Nadia Farrokh says the city should not pay for security at a "
            "meeting between two foreign governments."
        ),
        "section": "politics",
        "authors": ["tomas-reyval"],
        "hours_ago": 530,
        "tags": ["election", "carrow", "port callis", "harbour-summit"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "port-callis-police-clear-protest-camp",
        "body": [
            (
                "",
                "The cost of hosting the Harbour Summit has become the main issue in "
                "the race for mayor of Port Callis, three weeks before voters go to "
                "the polls.",
            ),
            (
                "Catch up quick:",
                "Carrow's national government agreed to host the Veltria-Osmark talks "
                "in May, but the city is expected to cover part of the policing and "
                "transport bill.",
            ),
            (
                "By the numbers:",
                "City officials estimate the summit will cost Port Callis about 7.8 "
                "million florins, roughly 2% of its annual budget.",
            ),
            (
                "What they're saying:",
                "\"Diplomacy is a national job. The city's budget should pay for "
                'buses and schools," challenger Nadia Farrokh said at a debate on '
                "Tuesday.",
            ),
            (
                "",
                "Mayor Gideon Sallow, who is seeking a third term, said the summit "
                'would bring hotel and restaurant revenue and "put our port on every '
                'map in the region."',
            ),
            (
                "What's next:",
                "Residents vote on the 24th. A poll for the Port Callis Courier "
                "showed the two candidates separated by three points.",
            ),
        ],
    },
    {
        "slug": "stadium-heat-rules-football",
        "headline": (
            "Northern League brings in cooling breaks after fans fall ill in the heat"
        ),
        "dek": (
            "Matches will pause for three minutes in each half when the temperature at "
            "kick-off exceeds 30C, league officials said."
        ),
        "section": "culture",
        "authors": ["rowan-achterberg", "adaeze-lund"],
        "hours_ago": 610,
        "tags": ["Football", "heat wave", "brisa", "lenhaven rovers"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "brisa-heatwave-breaks-record",
        "body": [
            (
                "",
                "The Northern League will introduce mandatory cooling breaks for "
                "players and add free water points for fans after 37 spectators were "
                "treated for heat exhaustion at a match in Brisa.",
            ),
            (
                "Catch up quick:",
                "The incidents happened during an afternoon fixture between Brisa "
                "City and Lenhaven Rovers, played in temperatures of 34C.",
            ),
            (
                "",
                "Eleven people were taken to hospital. All have since been discharged.",
            ),
            (
                "What they're saying:",
                '"Football in summer is a tradition. Football in this kind of summer '
                'is a risk we now have to manage," league chief executive Marta '
                "Quill said.",
            ),
            (
                "By the numbers:",
                "Under the new rules, matches will pause for three minutes in each "
                "half when the kick-off temperature exceeds 30C. Kick-offs before 6 "
                "p.m. in July and August will be moved when forecasts pass 32C.",
            ),
            (
                "Zoom out:",
                "Clubs in Osmark and Veltria have played 23 matches above 30C this "
                "season, compared with four in the whole of 2015.",
            ),
        ],
    },
    {
        "slug": "veltria-osmark-announce-harbour-summit",
        "headline": "Veltria and Osmark agree to first leaders' summit in 11 years",
        "dek": (
            "The two neighbours will meet in Port Callis to try to end a dispute over "
            "port fees and fishing that has slowed traffic on the Amber Strait."
        ),
        "section": "world",
        "authors": ["ines-okafor"],
        "hours_ago": 700,
        "tags": ["harbour summit", "veltria", "osmark", "trade deal"],
        "source_name": "",
        "source_url": "",
        "go_deeper": "harbour-summit-explainer-what-is-at-stake",
        "body": [
            (
                "",
                "Veltria and Osmark will hold their first leaders' summit in 11 "
                "years, the two governments said in a joint statement on Monday.",
            ),
            (
                "The big picture:",
                "Relations between the neighbours have been strained since March, "
                "when both raised fees on ships using their ports and approaches to "
                "the Amber Strait.",
            ),
            (
                "",
                "Patrol vessels from both countries have since turned back fishing "
                "boats on the disputed Tessmund banks more than a dozen times.",
            ),
            (
                "What they're saying:",
                '"The sea between us has become a place of queues and quarrels. We '
                'intend to change that," Veltrian Foreign Minister Aurelia Danecki '
                "said.",
            ),
            (
                "",
                "Osmark Trade Minister Henrik Solvang said officials would aim to "
                'agree a "framework for a trade deal" before the leaders meet.',
            ),
            (
                "Between the lines:",
                "Carrow, which shares sea borders with both countries, offered to "
                "host after quiet contacts between the foreign ministries over the "
                "spring.",
            ),
            (
                "What's next:",
                "Officials said the talks would be held at the Old Customs House in "
                "Port Callis in the coming weeks, with a date to be confirmed.",
            ),
        ],
    },
]

"""Cue rules: one table, compiled once into a single alternation regex (see ``features.py``).

Each rule has a key (a regex group name), a display category, a polarity, a hand-set stance weight (logit units,
added on top of the learned model), the patterns, and for the adversarial ones the explanation shown to the user:
why it lands badly and a better phrasing. ``mode`` says how the rewrite uses ``better``:

* ``"sentence"`` - the whole sentence carries the stance; the rewrite replaces the sentence with ``better``.
* ``"inline"``   - only the phrase is the problem; the rewrite swaps the phrase for ``better`` (``""`` drops it).

Patterns are written lower-case with a plain ``'`` for apostrophes; ``features.py`` makes them case-insensitive
and lets ``'`` match the typographic apostrophe too. Inside one position the first rule listed wins, so the
specific stance rules come before the generic politeness cues. All wording here is the project's own.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    key: str
    category: str
    polarity: int  # -1 adversarial (flagged), +1 collaborative, 0 politeness cue handled by the learned model
    weight: float  # hand-set stance weight in logit units (0 for learned-only cues)
    patterns: tuple[str, ...]
    why: str = ""
    better: str = ""
    mode: str = "sentence"


# Sentence start: beginning of text or right after end punctuation (each look-behind is fixed width).
S = r"(?:^|(?<=[.!?;:\n])|(?<=[.!?;:\n] )|(?<=[.!?;:\n]  )|(?<=^ )|(?<=, ))"
ME_SUBJ = r"(?:i|i've|i have|i'd|i had|i'm|i am)"
THEY = r"(?:you|they|he|she|management|hr|the panel|the committee|the board|my manager|my boss|leadership|the company)"
WILL = r"(?:i'll|i will|i'm going to|i am going to|i'm gonna|i shall|i'd|i would|i may|i might)"
QUIT = (
    r"(?:have to |need to |just |probably |seriously )?(?:leave|quit|resign|walk(?: away| out)?|hand in my notice|"
    r"look elsewhere|start looking|find (?:another|a new) (?:job|role|employer|company)|go elsewhere|"
    r"go over your head|escalate|go to hr|take (?:this|it|things) (?:further|higher|to hr|up with)|"
    r"file (?:a )?(?:complaint|grievance)|talk to (?:a lawyer|hr|legal|your boss)|hr|a lawyer|legal|your boss)"
)

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ adversarial stance (flagged)
    Rule(
        "ultimatum",
        "ultimatum",
        -1,
        -2.4,
        (
            r"\bif\b[^.?!]{0,80}?,? " + WILL + r" " + QUIT + r"\b",
            r"\b(?:or|otherwise|or else|else) " + WILL + r" " + QUIT + r"\b",
            r"\b(?:if|unless)\b[^.?!]{0,80}?,? (?:i'm|i am|then i'm|then i am) (?:leaving|quitting|resigning|out|gone|done|walking|off)\b",
            r"\b(?:or|otherwise|or else) (?:i'm|i am) (?:leaving|quitting|resigning|out|gone|done|walking|off)\b",
            r"\b" + WILL + r" " + QUIT + r"\b",
            r"\b(?:i have|i've got|i've had|i got) (?:other|another|an outside|a competing) (?:offers?|company|opportunit(?:y|ies))\b",
            r"\b(?:or else|last chance|final warning|this is your last|i'm done here|i am done here|i'm out of here)\b",
            r"\bunless (?:you|this|things|something) (?:change|changes|improve|improves|get|gets|happen|happens|promote|give|make|is fixed|are fixed)\b",
            r"\b(?:maybe |perhaps |then )?i (?:should|might as well|may as well|ought to) (?:just |simply |probably |seriously )?(?:leave|quit|resign|walk|go|move on|look elsewhere|start looking|give up|stop trying|take my skills)\b",
            r"\b(?:might|may) as well (?:just )?(?:leave|quit|resign|give up|stop trying|not bother|look elsewhere)\b",
            r"\bdon't be surprised (?:if|when) i\b",
            r"\b(?:update|updating|polish|polishing|dust off|dusting off) my (?:cv|resume|résumé|linkedin|profile)\b",
            r"\b(?:recruiters?|headhunters?|other companies) (?:have been|keep|are|were) (?:calling|contacting|reaching out|messaging|knocking)\b",
            r"\b(?:other|plenty of|lots of) (?:companies|employers|places|firms) (?:would|will|are|who) (?:happily |gladly )?(?:pay|value|promote|appreciate|hire|snap)\b",
        ),
        "An ultimatum turns a request for advice into a threat; people dig in or disengage when pressured.",
        "I want to grow here, so I'd like to understand what a realistic path forward looks like.",
    ),
    Rule(
        "contest",
        "contests the decision",
        -1,
        -2.2,
        (
            r"\bwhy (?:on earth |the hell |exactly )?(?:did|would|do|didn't|wouldn't) (?:you|they|the panel|the committee|management|he|she) "
            r"(?:even )?(?:pick|picked|choose|chose|select|selected|promote|promoted|hire|hired|go with|went with|prefer|give|gave|pass|passed|overlook|reject|rejected|turn|turned)\b",
            r"\b(?:him|her|them|someone|somebody|anyone|an outsider|a junior|someone junior|someone else|a newcomer) (?:over|instead of|ahead of|rather than) me\b",
            r"\b(?:this|the|that|your|their) (?:decision|choice|call|outcome|result|selection|pick) (?:was|is|seems|feels|looks) (?:just |plainly |simply |completely |totally |clearly |obviously )?"
            r"(?:wrong|a mistake|mistaken|unfair|unjust|ridiculous|absurd|a joke|questionable|bizarre|baffling|indefensible|shocking|bad|flawed|biased|insane|crazy|nonsense|laughable|backwards)\b",
            r"\b(?:made|got|making) (?:the |a )?(?:wrong|bad|terrible|poor|huge|big) (?:decision|call|choice|mistake)\b",
            r"\bwrong (?:decision|call|choice|person|candidate|pick)\b",
            r"\b(?:reconsider|revisit|reverse|overturn|appeal|challenge|dispute|contest|re-?open|review) (?:the|this|that|your|their|my) (?:decision|outcome|choice|call|result|selection|rejection|rating|score)\b",
            r"\bi (?:don't|do not|can't|cannot|won't|will not|refuse to) (?:accept|agree with|respect|understand how|understand why|see how|see why|get how|get why|buy)\b",
            r"\b(?:makes no sense|doesn't add up|does not add up|doesn't make (?:any )?sense|does not make (?:any )?sense|no (?:good |valid |real )?reason)\b",
            r"\b(?:she|he|they|the other candidate|the winner)(?:'s| is| was| were|'re) (?:less|not as|nowhere near as|not even as|barely) (?:qualified|experienced|capable|good|skilled|senior)\b",
            r"\b(?:she|he|they|the other candidate) (?:doesn't|does not|didn't|did not|don't|do not) (?:deserve|have the (?:experience|skills|track record)|even know)\b",
            r"\bwhat (?:exactly )?(?:did|does|do) (?:she|he|they|the other candidate) (?:have|bring|offer) that i (?:don't|didn't|do not|did not)\b",
            r"\b(?:she|he|they|the other candidate|the winner) (?:doesn't|does not|didn't|did not|don't|do not) (?:even )?(?:have|know|understand)\b",
            r"\bnot (?:even )?(?:half|a fraction of|close to) (?:as|my)\b",
            r"\bhow (?:could|can|did|would) (?:you|they|the panel|management) (?:possibly |even )?(?:pick|choose|promote|select|think|decide|justify|overlook|ignore)\b",
        ),
        "It reopens the decision, so the manager defends it instead of coaching you.",
        "I accept the decision; I'd value your advice on what would make me a stronger candidate next time.",
    ),
    Rule(
        "entitlement",
        "entitlement",
        -1,
        -2.2,
        (
            r"\b(?:i|i've|i have|i had) (?:really |truly |clearly |obviously |more than |fully |totally )?(?:deserved?|earned|was owed|am owed|been owed|was entitled|am entitled|was promised|been promised)\b",
            r"\bi'm (?:owed|entitled)\b",
            r"\b(?:i've|i have|i) (?:been|worked) (?:here|at the company|with the company|in this team|on this team|in the team|in this role) (?:much |far |way |a lot )?(?:longer|the longest|for (?:years|ages|\w+ years|over \w+ years|a decade|so long))\b",
            r"\b(?:much |far |way |a lot |years )?(?:longer|more years|more seniority|more tenure|more experience) than (?:her|him|she|he|them|they|anyone|everyone|my colleague|the other candidate|the person)\b",
            r"\b(?:i'm|i am|i was|i'd be|i'd have been) (?:clearly |obviously |far |much |way |simply |easily )?(?:the )?(?:more|most|better|best|stronger|strongest|right|obvious|natural|clear|logical|only real|ideal|perfect) (?:qualified|experienced|senior|candidate|choice|fit|person|option|pick)\b",
            r"\b(?:more|better) (?:qualified|experienced|senior) than\b",
            r"\b(?:it|this|that|the (?:job|role|promotion|position|title)) (?:was|is|should have been|should've been|ought to have been) (?:mine|rightfully mine|my turn|meant for me|owed to me)\b",
            r"\b(?:it|this|that|the (?:job|role|promotion|position)) should (?:have|'ve) (?:been|gone to) me\b",
            r"\bi (?:should|ought to|really should) (?:have |'ve )?(?:been |gotten |got |get |be )(?:promoted|the promotion|the job|the role|picked|chosen|selected|the title|the raise)\b",
            r"\bit (?:was|is) my turn\b",
            r"\b(?:after|given|considering) (?:everything|all|all the (?:work|hours|years)) (?:i've|i have|i) (?:done|given|put in|sacrificed)\b",
            r"\byears of (?:loyalty|loyal service|service|hard work|dedication)\b",
            r"\byou owe (?:me|it to me)\b",
            r"\bnobody (?:works|worked) harder than me\b",
        ),
        "Claiming the role was owed to you sounds like a grievance, and it invites a debate about who was better.",
        "I know I have more to show; what would you want to see from me before the next opening?",
    ),
    Rule(
        "blame",
        "blames",
        -1,
        -2.0,
        (
            r"\b(?:it's|it is|it was|this is|that's|that is|this was) (?:all |entirely |totally |really |clearly )?(?:your|their|his|her|management's|hr's|the panel's|my manager's|my boss's|the company's) fault\b",
            r"\b" + THEY + r" (?:never|didn't|did not|failed to|refused to|wouldn't|would not|couldn't be bothered to|don't|do not|won't|will not) "
            r"(?:even |once |ever |really |actually )?(?:give me|gave me|support|supported|mentor|mentored|tell me|told me|back me|backed me|prepare me|help me|helped me|let me|listen|listened|read|understand|understood|consider|considered|notice|noticed|recognise|recognize|recognised|recognized|train|trained|value|valued|care|cared|appreciate|appreciated|bother|bothered|invest|invested|advocate|fight for|credit|credited|acknowledge|acknowledged)\b",
            r"\b" + THEY + r" (?:set me up|sabotaged|undermined|blocked|held me back|kept me (?:down|back|out)|overlooked|ignored|passed me over|dropped the ball|let me down|screwed me|stabbed me|threw me under|took credit|stole|lied|misled|sidelined)\b",
            r"\b(?:not|wasn't|isn't|wasnt|isnt|was not|is not|none of (?:this|it) (?:is|was)) my fault\b",
            r"\bwhat (?:exactly )?(?:have|has|did) (?:you|they|management|my manager) (?:ever |actually |even |really )?(?:done|said|offered|given)\b",
            r"\b(?:too|overly|so) (?:sensitive|soft|thin-skinned|touchy|easily offended)\b",
            r"\bif (?:you|they|my manager|management|someone) had (?:just |actually |even |bothered to )?(?:given|supported|told|bothered|backed|helped|prepared|mentored|listened|done)\b",
            r"\b(?:because of|thanks to) (?:you|your|them|their|him|her|my manager|management|the panel)\b(?! (?:for|all|so much|again|very|kindly))",
            r"\byou (?:people|guys) (?:never|always|don't|didn't|just)\b",
            r"\b(?:the|your|their) (?:interview(?:ers)?|panel|process|questions|criteria|feedback) (?:was|were) (?:badly run|biased|unclear|confusing|a mess|a joke|poorly designed|designed to)\b",
        ),
        "Putting the cause on someone else makes them defensive and closes down the candid feedback you came for.",
        "Looking back, what could I have done differently to make a stronger case?",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        -1,
        -1.6,
        (
            r"\b(?:great|wonderful|fantastic|perfect|lovely|brilliant|terrific|super|awesome|nice),? just (?:great|wonderful|fantastic|perfect|lovely|brilliant|terrific|super|awesome|nice)\b",
            r"\boh,? (?:sure|great|wonderful|really|right|fantastic|perfect|yeah|of course|good|joy|brilliant|lovely|please|how nice|how lovely)\b",
            r"\byeah,? (?:right|sure)\b",
            r"\bsure you (?:do|did|are|can|will|would|were)\b",
            r"\bhow (?:convenient|nice for (?:her|him|them)|lovely for|surprising|shocking|original)\b",
            r"\bwhat a (?:surprise|shock|shocker|coincidence|joke)\b",
            r"\b(?:big |real )?(?:surprise|shocker) there\b",
            r"\bthanks (?:a lot|a bunch|for nothing|for that, i guess|so much for nothing)\b(?![^.?!]{0,30}\b(?:help|time|advice|feedback|support))",
            r"\bmust be nice\b",
            r"\b(?:silly me|my bad for thinking|how stupid of me|lucky (?:her|him|them))\b",
            r"\bas if\b",
            r"\b(?:sure|oh|yeah|right|yes),? (?:i'm|i am) (?:sure|certain|positive)\b",
            r"\bif this is how (?:\w+ ){0,3}(?:gets?|is|are|get) (?:rewarded|treated|repaid|valued|recogni[sz]ed|appreciated|thanked)\b",
            r"\bso much for (?:loyalty|the|all|my|being|hard work|transparency|merit|fairness|feedback|an open|open|equal|our|your)\b",
            r"\bhow (?:generous|kind|thoughtful|considerate|fair|nice) of (?:you|them|him|her|management)\b",
            r"\b(?:because|since) (?:that|this|it) (?:always )?(?:works|worked|went|goes) so well\b",
            r"(?<=[\"“])(?:(?:very|so|really|highly|totally|truly|fully|completely|extremely|most|super|utterly|perfectly) )?(?:competitive|fair|objective|transparent|merit|meritocratic|independent|rigorous|impartial|open|development|opportunity|opportunities|feedback|process|culture|values|family|priorities|strategic|restructuring|team player|fit|growth|best|great|exciting|robust|thorough|neutral|holistic|visibility|calibration|calibrated|business needs|leadership|potential|ready|readiness|not ready|stretch|exposure|clear criteria)(?: [\w-]+){0,3}(?=[\"”])",
            r"\bi'm (?:sure|certain) (?:she'll|he'll|they'll|it'll|she's|he's|they're|she|he|they|that|it)\b(?! (?:is|was|were|are) (?:a |the )?(?:right|good|great|better|stronger|strong))",
            r"\b(?:clearly|obviously|apparently|evidently|of course|naturally)\b(?! (?:i|i'm|i've|i'd|i should|i could|my|thought|put|worked|care|cared|considered|spent|taken|done|invested|know your stuff|made an effort|understand)\b)",
        ),
        "Sarcasm reads as contempt; the listener hears the scorn, not the point.",
        "",
        "inline",
    ),
    Rule(
        "resentment",
        "resentment",
        -1,
        -1.9,
        (
            r"\b(?:unfair|unfairly|unjust|unjustly|rigged|a sham|a farce|a charade|a stitch-?up|stitched up|favou?ritism|nepotism|cronyism|"
            r"(?:office |company |internal |pure |just )?politics|political|old boys'? club|boys'? club|popularity contest|who you know|"
            r"a done deal|pre-?decided|predetermined|decided in advance|already decided|box-?ticking|tick-?box|for show|lip service|"
            r"teacher's pet|golden (?:boy|girl|child)|sucked up|suck(?:ing|s)? up|brown-?nos(?:e|ed|er|ing)|kiss(?:ed|ing|es)? up|"
            r"a slap in the face|an insult|insulting|outrageous|disgrace(?:ful)?|unacceptable|bullshit|bogus|"
            r"screwed (?:over|me)|cheated|robbed|betrayed|backstab(?:bed|bing|ber|bers)?|stabbed in the back|biased|bias|discriminat(?:ed|ion|ory|ing)|"
            r"pointless|a waste of (?:my |everyone's |our )?time|waste of (?:my |everyone's |our )?time|wasted (?:my|years)|"
            r"a joke|ridiculous|absurd|laughable|pathetic|insane|shameful|shocking|appalling|disgusting|sickening)\b",
            r"\b(?:i'm|i am|i feel|i was|i felt|i'm so|i am so|i'm really|i'm pretty|i'm just|frankly i'm|honestly i'm) "
            r"(?:angry|furious|livid|pissed(?: off)?|insulted|offended|disgusted|betrayed|bitter|resentful|outraged|fed up|sick of|tired of|done with|cheated|robbed|humiliated|shocked|appalled)\b",
            r"\b(?:i )?(?:expected|deserve|deserved) (?:better|more)\b(?! (?:of|from) myself)",
            r"\b(?:i can't|i cannot|i still can't|i honestly can't|i really can't) believe\b",
            r"\b(?:unbelievable|incredible that|typical|as usual|same old)\b",
            r"\b(?:what|such) a (?:joke|farce|waste|mess|disgrace|circus)\b",
            r"\bof course (?:she|he|they) (?:got|did|would|was|were)\b",
            r"\b(?:the|this|that|your) (?:process|system|decision|interview|promotion round|panel|selection) (?:was|is|were) (?:rigged|fixed|a joke|a sham|broken|corrupt|biased|unfair|political|a formality|for show|decided)\b",
            r"\bwhy (?:do|did|should) i (?:even )?bother\b",
            r"\b(?:per|as per) my (?:last|previous|earlier) (?:email|e-mail|message|note|mail)\b",
            r"\bas i (?:have |'ve )?(?:already |previously |clearly )?(?:said|mentioned|explained|stated|pointed out|told you)(?: (?:twice|before|several times|many times|repeatedly))?\b",
            r"\bfor the (?:second|third|fourth|fifth|last|umpteenth|hundredth) time\b",
            r"\bafter (?:two|three|four|several|multiple|repeated|numerous|countless) (?:reminders|requests|emails|attempts)\b",
            r"\bstill (?:hasn't|haven't|has not|have not|isn't|aren't|is not|are not) (?:been )?(?:fixed|done|sent|answered|resolved|addressed|finished|delivered)\b",
            r"\bhow (?:is|was|can|could) (?:that|this|it) (?:be )?(?:fair|right|okay|ok|acceptable|reasonable|justified)\b",
            r"\b(?:some kind of|some sort of|is this a|is that a) (?:joke|game|test)\b",
            r"\bwhat (?:more|else) do you (?:want|expect) from me\b",
            r"\b(?:your|their|his|her|management's|the boss's) (?:favou?rites|pets|inner circle|friends|buddies|mates)\b",
            r"\b(?:doesn't|don't|does not|do not|never) (?:value|care about|appreciate|respect|reward) (?:loyalty|people like me|hard work|its people|their people|anyone|me|my work)\b",
            r"\b(?:was|were|had been|been) (?:decided|agreed|settled|sorted|fixed|promised to (?:him|her|them)) (?:before|long before|months before|ahead of time|in advance|already)\b",
            r"\b(?:wasting|waste|wasted) (?:my|our|everyone's) time\b",
            r"\bi (?:shouldn't|should not) (?:have to|need to)\b",
            r"\b(?:mean|means|meant|counts|count|counted) (?:nothing|for nothing|so little|zero)\b",
            r"\b(?:behind closed doors|behind my back|behind the scenes|back-?room deal|stitched up|sewn up|done and dusted before|never (?:had|stood) a (?:chance|shot|hope|prayer))\b",
            r"\b(?:was|were|had been|been|got) (?:already |all |long |basically |pretty much |obviously |clearly )?(?:decided|settled|chosen|picked|agreed|sorted|fixed|arranged|promised) (?:long |well |way )?(?:before|ahead of|in advance of|prior to) (?:i|we|the interviews?|anyone|the process|it|my)\b",
            r"\b(?:friends?|buddies|buddy|mates?|pals?|close|chummy|cosy|cozy) with (?:the )?(?:boss|director|directors|manager|vp|panel|ceo|head|management|leadership|hiring manager)\b",
            r"\b(?:nobody|no one|noone|no-one) (?:here |around here |upstairs )?(?:ever )?(?:notices|noticed|cares|cared|appreciates|appreciated|listens|listened|values|valued|recogni[sz]es|recogni[sz]ed|bothers|gives a)\b",
            r"\b(?:got|get|getting|have|had|received) (?:absolutely )?nothing (?:for it|back|in return|to show)\b",
            r"\b(?:i've|i have|i've been|i have been|i'm|i am|i was|i) (?:carrying|carried|propping up|held together|holding together|covering for|doing (?:everyone's|their|his|her) (?:job|work))\b",
            r"\b(?:it's|it is) (?:always |all )?(?:about )?who you know\b",
            r"\bnot (?:on|based on|about) merit\b",
        ),
        "Resentment signals that you have not accepted the outcome; the listener spends the meeting managing it.",
        "I was disappointed, and I'd like to turn that into a plan; what would you focus on in my place?",
    ),
    Rule(
        "demand",
        "demand",
        -1,
        -1.5,
        (
            r"\bi (?:want|need|demand|expect|require|insist on) (?:a |an |the |some |real |proper )?(?:straight |real |honest |clear |proper |full |detailed |written |direct |actual )?"
            r"(?:answer|answers|explanation|explanations|reason|reasons|justification|names|the names|scores|the scores|my scores|transcript|the notes|proof|evidence|it in writing|to see (?:the|my|her|his)|to know (?:why|who|how|what)|to understand why|you to|them to|an apology|accountability)\b",
            r"\bi (?:demand|insist)\b",
            r"\bi expect (?:you|an?|the|better|more|answers|to be)\b",
            r"\bi need you to\b",
            r"(?<!you )(?<!you just )(?<!please )(?<!you to )(?<!could )(?<!would )\b(?:just )?(?:tell me|explain|show me|give me|answer me|answer the question|justify)\b(?! (?:if|whether|a bit|a little|more about|what you think|your thoughts|your advice|your view|some advice|any tips|some pointers|how i could|what i could))",
            r"\b(?:be straight with me|be honest with me|give it to me straight|straight answer|don't dodge|stop dodging|stop avoiding|don't sugar-?coat|no excuses)\b",
            r"\byou (?:need to|have to|must|better|had better|'d better|will need to|are going to have to|owe) (?:explain|tell|give|fix|justify|answer|show|change|make|put|promote|reconsider|me)\b",
            r"\b(?:either you|you either) (?:fix|change|give|promote|make|sort)\b",
            r"\byou should (?:be giving|be doing|have given|have told|have backed|have supported|have picked|have chosen)\b",
            r"\bjust (?:tell|give|answer|say)\b",
            r"\b(?:right now|immediately|at once|this week or|by tomorrow or)\b",
            r"\bwhy\?$",
        ),
        "A demand puts the manager on the spot; a request gets a more candid answer.",
        "Could you help me understand what made the difference?",
    ),
    Rule(
        "contradicts",
        "contradicts",
        -1,
        -1.3,
        (
            r"\b(?:you're|you are|you were|you've been|you have been) (?:just |simply |completely |totally |dead |flat )?(?:wrong|mistaken|misinformed|confused|missing the point|not listening|twisting)\b",
            r"\b(?:that's|that is|this is|it's|it is) (?:just |simply |completely |totally |plainly |patently )?(?:not true|untrue|false|wrong|incorrect|nonsense|a lie|a myth|not how it works|not the point|irrelevant|beside the point|naive|backwards|wishful thinking)\b",
            r"\b(?:(?<!while )(?<!although )(?<!though )(?<!respectfully )(?<!respectfully, )(?<!politely )(?<!slightly )(?<!partly )(?<!somewhat )i (?:completely |totally |strongly |fundamentally )?disagree|i don't buy (?:it|that)|i do not buy|don't be (?:ridiculous|silly|naive)|you (?:don't|do not|clearly don't|obviously don't) (?:understand|get it|know what)|you have no (?:idea|clue)|you've got it (?:all )?wrong|get your facts|do your (?:research|homework)|educate yourself|wake up|open your eyes|how can you (?:possibly |seriously )?(?:believe|think|say|claim)|anyone who (?:thinks|believes|says)|it's (?:that )?simple|plain and simple|end of story|end of discussion|period\.|full stop)\b",
        ),
        "Flat contradiction tells the other person they are wrong before you have shown you heard them.",
        "I see it differently; can I explain why, and hear what I might be missing?",
    ),
    Rule(
        "absolutes",
        "absolutes",
        -1,
        -0.9,
        (
            r"\b(?:always|never|everyone|everybody|nobody|no one|noone|every single (?:time|day|one)|every time|all the time|nothing ever|no matter what|constantly|completely ignored|totally ignored)\b",
        ),
        "Absolutes overstate the case, and the listener answers the exaggeration instead of the point.",
        "",
        "inline",
    ),
    Rule(
        "hostile",
        "hostile language",
        -1,
        -2.0,
        (
            r"\b(?:idiots?|idiotic|stupid|stupidity|morons?|moronic|dumb|incompetent|incompetence|clueless|useless|lazy|liar|lying|liars|hypocrites?|hypocritical|fool|foolish|"
            r"shut up|screw (?:you|this|that)|damn|damned|dammit|hell|crap|crappy|shit|shitty|bullshit|fuck|fucking|fucked|fucks|wtf|bloody|ass|assholes?|jerks?|"
            r"nonsense|garbage|rubbish|trash|joke of a|clowns?|clown show|spineless|gutless|sneaky|two-faced|shady)\b",
            r"\b(?:your|this|that|the) (?:code|work|idea|argument|post|question|answer|writing|plan|proposal|design|report|logic|approach) "
            r"(?:is|was|looks|seems) (?:just |frankly |honestly |a complete |an absolute |totally )?(?:a mess|a disaster|terrible|awful|horrible|pointless|worthless|a waste|embarrassing|sloppy|amateurish|lazy)\b",
        ),
        "Loaded words attack the person or the process; nothing after them gets heard.",
        "",
        "inline",
    ),
    Rule(
        "why_self",
        "direct question",
        -1,
        2.0,
        (
            S + r"(?:so |and |then |but )?why (?:was|wasn't|were|weren't|am|am i not|haven't|hasn't|hadn't|didn't|did|was it that|do you think) (?:i|my (?:[\w-]+ ){0,2}?(?:application|candidacy|case|profile|name|cv|interview|pitch|answers?))(?: not)? (?:been |be |get |getting )?(?:selected|chosen|picked|successful|shortlisted|considered|promoted|enough|a fit|the right fit|ready|get|got|make|made|progress|progressed|advance|advanced|offered|given|put forward|invited|moved|seen|rated|scored|further|forward|through|taken|put through|hired|interviewed|called back|in the running|the one|strong enough|good enough)\b",
        ),
        "A bare 'why' about the decision can sound as if you are contesting it, even when you only want to learn.",
        "What would have made my application stronger?",
    ),
    Rule(
        "why_direct",
        "direct question",
        -1,
        -0.7,
        (
            S + r"(?:so |but |and |then )?why (?:did|didn't|do|don't|does|doesn't|would|wouldn't|was|wasn't|were|weren't|is|isn't|are|aren't|should|shouldn't|can't|couldn't|won't|hasn't|haven't|has|have|on earth|the hell|exactly|not|am i|wasn't i)\b",
            S + r"(?:so |but |and )?(?:how come|what the hell|what on earth|what exactly (?:did|do|does|was|were|is)|who decided|who made (?:this|that|the) (?:call|decision))\b",
        ),
        "A bare 'why' question sounds like a challenge that asks the other person to justify themselves.",
        "Could you help me understand the reasoning behind it?",
    ),
    Rule(
        "you_open",
        "you-opening",
        -1,
        -0.8,
        (
            S + r"you (?:never|always|didn't|did not|don't|do not|can't|won't|just|clearly|obviously|should have|should've|shouldn't|made|chose|picked|promised|said you|told me|obviously|simply|completely|totally|only|keep|kept|ignored|overlooked|have no|had no|know (?:full well|perfectly))\b",
        ),
        "Opening with 'you' points a finger; the listener hears an accusation before the point.",
        "From my side, I'd like to understand how I can get more of these chances.",
    ),
    Rule(
        "intensifier",
        "intensifier",
        -1,
        -0.4,
        (
            r"\b(?:quite frankly|frankly|let me be clear|let's be honest|let's be clear|make no mistake|for the record|the fact is|the fact that|in fact|literally|seriously|come on|honestly,)\b",
            r"\bactually\b(?! (?:quite|really|very|enjoyed|enjoy|learned|learnt|appreciate|appreciated|like|liked|want|think i|i))",
        ),
        "Words like 'frankly' or 'in fact' add pressure and make the line sound combative.",
        "",
        "inline",
    ),
    # ------------------------------------------------------------------ collaborative stance (not flagged)
    Rule(
        "accept",
        "accepts the outcome",
        1,
        1.7,
        (
            r"\b(?:i |i fully |i completely |i totally |i do |i really |i can |i )?(?:accept|respect|understand|get|see|appreciate|support|trust) (?:the|your|this|that|their) (?:decision|choice|outcome|call|result|reasoning|thinking|rationale|judgement|judgment)\b",
            r"\b(?:she|he|they|the other candidate|the winner|someone else|the successful candidate|the other person|the person you picked|your choice) (?:was|were|is|are|'s|'re) (?:probably |clearly |simply |genuinely |just )?(?:the )?(?:stronger|better|right|best|strongest|more experienced|a better|a stronger|well) (?:candidate|choice|fit|person|option|suited|qualified|placed)\b",
            r"\b(?:she|he|they|the other candidate|the winner) (?:really |clearly |fully |definitely )?(?:deserved|earned) (?:it|the role|the promotion|the job|the position|this)\b",
            r"\b(?:no hard feelings|fair enough|that's fair|that is fair|that seems fair|i can see why|i see why|i understand why|i get why|that makes sense|makes sense to me|i'm at peace with|i've made peace with|i'm okay with|i'm ok with|i'm fine with the)\b",
            r"\b(?:happy for|glad for|pleased for|congratulations|congratulate|congratulated|congrats|good for the team)\b",
            r"\b(?:i'm not|i am not|not) (?:here to |trying to |looking to |asking to |going to )?(?:contest|challenge|dispute|question|reopen|re-open|relitigate|argue|second-guess|appeal|complain about|change) (?:the|your|this|that)?\b",
            r"\bthe right (?:call|decision|choice)\b",
            r"\b(?:someone|another candidate|the other candidate|others|someone else) (?:was|were) (?:stronger|better|more ready|further along|a better fit)\b",
        ),
    ),
    Rule(
        "own",
        "owns their part",
        1,
        1.3,
        (
            r"\bi (?:could|should|might|would) (?:have|'ve) (?:done|prepared|been|shown|given|spoken|communicated|highlighted|explained|asked|made|taken|led|presented|practised|practiced|answered|framed|focused|demonstrated|pushed|volunteered|owned|spent|sought|tried|put)\b",
            r"\bi (?:wasn't|was not|didn't|did not) (?:as |very |fully |quite )?(?:prepared|clear|strong|ready|concise|specific|confident|convincing|show|demonstrate|communicate|explain)\b",
            r"\b(?:my|i) (?:own )?(?:mistake|part in|share of|weak spot|weakness|blind spot|gap|gaps|shortcoming)\b",
            r"\bi (?:could|can|need to|want to|have to|should|must|would like to|'d like to|hope to|plan to|intend to|aim to|will|'ll) (?:improve|work on|get better|do better|grow|develop|learn|strengthen|build|close|address|practise|practice|sharpen|stretch|broaden|deepen|step up)\b",
            r"\b(?:i know|i realize|i realise|i recognise|i recognize|i see now|i accept|i admit|i suspect|i'm aware) (?:that )?(?:i|my|there)\b",
            r"\b(?:that's|that is|that was) on me\b",
            r"\b(?:fair|good|useful|helpful|valid) (?:point|feedback|criticism|observation)\b",
            r"\b(?:room to grow|room for improvement|areas? (?:for|of|to) (?:improvement|growth|develop))\b",
        ),
    ),
    Rule(
        "advice",
        "asks for advice",
        1,
        1.3,
        (
            r"\b(?:your|any|some|honest|candid|frank|specific|concrete|direct) (?:advice|feedback|guidance|suggestions?|perspective|view|input|thoughts|take|pointers|tips|recommendations?|opinion|assessment|read|coaching|insight|insights)\b",
            r"\b(?:honest|candid|frank) (?:view|opinion|assessment|read|take|feedback|picture)\b",
            r"\bwhat (?:could|can|should|would|might|do|must) i (?:do|work on|improve|focus on|have done|change|learn|develop|practise|practice|try|prioriti[sz]e|do differently|be doing)\b",
            r"\b(?:how|where) (?:could|can|should|might|would|do) i (?:improve|grow|get better|develop|strengthen|build|prepare|position|close|gain|get more|best|start|take on|show|demonstrate|increase|become|contribute|step up|make)\b",
            r"\bwhat would (?:it take|you suggest|you recommend|you advise|make me|a stronger|you want to see|you need to see|you look for|help|you focus on|you do)\b",
            r"\bwhat (?:does|did|would) (?:a |the )?(?:stronger|successful|winning|ideal|better) (?:candidate|application|candidacy|case)\b",
            r"\b(?:what|which) (?:skills?|areas?|experience|gaps?|things) (?:should|could|would|do|might|can) (?:i|you)\b",
            r"\b(?:advise|advice|mentor|mentoring|mentorship|coach|coaching|guidance|sponsor)\b",
            r"\b(?:help me|learn from|you'd recommend|would you recommend|would you suggest|you'd suggest|could you suggest|can you suggest|any suggestions|any tips|any pointers)\b",
            r"\b(?:stronger|better|more competitive|more compelling|more ready) (?:candidate|case|application|contender)\b",
            r"\b(?:prospects|path|career path|growth path|next step|next steps|trajectory|progression|where i stand|how i'm seen|how i am seen|how i come across|how i came across)\b",
        ),
    ),
    Rule(
        "future",
        "future focus",
        1,
        1.1,
        (
            r"\b(?:next time|going forward|in the future|moving forward|next round|next opportunity|next opening|next cycle|next year|next quarter|next review|the next one|from now on|over the next|in the coming|in the months ahead|down the line|down the road|long term|long-term|when the next|a future)\b",
            r"\b(?:be ready|be prepared|get ready|be better prepared|be in a better position|be a stronger|be considered|position myself|build toward|build towards|work towards|work toward|grow into|step into|take on more|more responsibility|more visibility|stretch (?:assignment|project|goal|role)|lead (?:a|the) (?:project|migration|initiative|meeting))\b",
        ),
    ),
    Rule(
        "inquiry",
        "asks about own growth",
        1,
        1.4,
        (
            r"\bhow (?:did|do|does|would|might|could|will|did all of) (?:i|my(?: [\w-]+){1,3}) (?:come across|come over|came across|land|landed|do|did|fare|fared|compare|measure up|stack up|look|looked|sound|sounded|perform|performed|go|went|read|rate|score|scored|hold up|get on)\b",
            r"\bhow (?:am i|was i|i'm|i was|i am|i'd be|i would be|i come|i came) (?:doing|seen|perceived|viewed|regarded|coming across|tracking|progressing|placed|positioned|rated|assessed|judged|performing|compared|measuring up|getting on)\b",
            r"\bwhat(?:'s| is| are| was| were| would be| might be| will be) (?:realistically |honestly |currently |actually )?my\b",
            r"\b(?:where|how) (?:do|did|would|does) (?:i|my (?:[\w-]+ ){0,2}?(?:case|application|candidacy|profile|work)) stand\b",
            r"\bwhere (?:do|would|could|might) you see me\b",
            r"\bhow (?:do|would|did|might) you (?:see|view|rate|assess|judge|describe|read|size up) (?:me|my|how i|where i)\b",
            r"\b(?:what|which) (?:would|will|might|does|did) it take\b",
            r"\bis there (?:anything|something|an area|a skill|a gap|a way|any way|room) (?:else )?(?:that )?(?:i|you think i|you'd like me to|you would like me to|where i|in which i)\b",
            r"\bwhat (?:did|does|do|might|would) (?:the panel|they|you|the interviewers|the committee|leadership|people|the team|others|the hiring manager|senior people|management)(?: [\w-]+)? (?:think|make|say|feel|see|notice|like|want|value|look for)(?: most)? (?:of|about|in|from) (?:my|me|how i|what i|the way i|i)\b",
            r"\b(?:do|did|would) you think (?:i'm|i am|i was|i'd be|i would be|i could be|i'll be|i will be|i can be|i) (?:on track|ready|close|near|nearly|a good|a strong|a realistic|competitive|in the running|in contention|considered|able to|capable|the kind|a fit|likely|far|getting)\b",
            r"\b(?:my|the) (?:realistic |honest |actual |current |long-term |future )?(?:chances|odds|prospects|outlook|options|opportunities|prospects of|chance of|shot at)\b",
            r"\bhow (?:close|far|near) (?:was|am|were|is|are) (?:i|my|we)\b",
            r"\bam i (?:on track|close|near|ready|in the running|in contention|being considered|considered|competitive|heading|getting|seen|perceived|doing|a realistic|a credible|a candidate|missing|lacking|making progress)\b",
            r"\b(?:skills?|experience|gaps?|areas?|weaknesses|weak spots|things|concerns?|aspects?) (?:that )?(?:stood out|stand out|were missing|held me back|hold me back|are holding me back|i (?:lack|lacked|need|needed|was missing|am missing|should|could|ought))\b",
            r"\bwhat (?:held|was holding|is holding|kept|keeps|is keeping|stood) (?:me|my (?:[\w-]+ ){0,2}?(?:application|candidacy|case|profile|answers?|interview)) (?:back|out|apart|in the way)\b",
            r"\bwhat should i (?:focus|prioriti[sz]e|concentrate|be working|work|start|tackle|look at|read|learn|practi[sc]e|aim|do|take|build|change|know)\b",
            r"\b(?:should i|could i|can i|how can i|how could i|how should i|would it help (?:if|to)) (?:focus|prioriti[sz]e|work on|develop|improve|strengthen|build|learn|get|take on|volunteer|ask for|seek|look for|practi[sc]e|prepare|aim|try)\b",
            r"\b(?:help me|i'd like to|i would like to|i want to|i'm trying to|i am trying to|trying to) (?:understand|learn|see|know|hear) (?:what|how|where|which|why|more)\b",
            r"\b(?:what|which) (?:feedback|comments|notes|impressions?) (?:did|do|does|came|come|were|was) (?:the panel|they|you|the interviewers|people|i get|back)\b",
        ),
    ),
    Rule(
        "gratitude",
        "gratitude",
        1,
        0.8,
        (
            r"\b(?:thank you|thanks|thank|thankful|grateful|gratitude|appreciated|appreciate|appreciative|means a lot|means a great deal|i value|valued your|value your)\b",
        ),
    ),
    Rule(
        "followup",
        "offers a follow-up",
        1,
        1.0,
        (
            r"\b(?:follow up|follow-up|followup|check in|check-in|check back|touch base|catch up again|circle back|meet again|revisit (?:this|it|my progress)|regular (?:check-ins|one-on-ones|1:1s|catch-ups)|set up (?:a|some) time|schedule (?:a|some|time|another)|put (?:something|time) in the calendar|update you|keep you posted|keep you updated|report back|share (?:my|a) (?:plan|progress|draft)|in a few (?:weeks|months)|in (?:a month|three months|six months|3 months|6 months|a quarter))\b",
        ),
    ),
    Rule(
        "acknowledge",
        "acknowledges",
        1,
        1.1,
        (
            r"\b(?:i see your point|i see what you mean|i take your point|i hear you|i hear what you're saying|good point|fair point|valid point|that's a good point|that's a fair point|you make a (?:good|fair|valid|strong) point|you're right|you are right|you may be right|you might be right|you have a point|i agree|i agree with|i partly agree|i partially agree|i'd agree|i can agree|agreed|i can see (?:why|how|your|where|that)|i understand (?:your|where|why|that|the concern|what you)|that's understandable|understandable|i hadn't (?:thought|considered)|i never thought of|i'm open to|i am open to|open to (?:feedback|suggestions|ideas|hearing|other|your)|i could be wrong|i may be wrong|i might be wrong|correct me if|i stand corrected|thanks for explaining|that's helpful|that helps|that is helpful|that's useful|i respect your|common ground|both sides|on the other hand|to be fair|in fairness|i appreciate your (?:point|perspective|view|honesty|candou?r)|resonates? with me|resonated with me|some of what you (?:said|say|wrote|raised)|i respect (?:that|how|the way|you|your)|i'm (?:honestly |genuinely |really )?(?:not sure|unsure|torn) (?:where i (?:land|stand)|about this)|fair enough|you raise a|that's a (?:fair|reasonable|good|valid) (?:one|question|concern)|good question|thanks for sharing|interesting point)\b",
        ),
    ),
    # ------------------------------------------------------------------ politeness cues (learned weights)
    Rule("apology", "apology", 0, 0.0, (r"\b(?:sorry|apologise|apologize|apologised|apologized|apologising|apologizing|my apologies|apologies|forgive me|excuse me|pardon me|my bad)\b",)),
    Rule(
        "polite_request",
        "polite request",
        0,
        0.0,
        (
            r"\b(?:could you|would you|would it be possible|would you mind|do you mind|if you (?:don't|do not) mind|if it's (?:ok|okay|alright|not too much)|if possible|if you have (?:time|a moment|a minute|a chance)|when you (?:have|get) a (?:chance|moment|minute)|i was wondering|i wonder if|might you|would you be (?:willing|able|open)|are you (?:willing|able) to|would you be so kind)\b",
        ),
    ),
    Rule("please", "please", 0, 0.0, (r"\bplease\b", r"\bpls\b", r"\bplz\b")),
    Rule(
        "hedge",
        "hedge",
        0,
        0.0,
        (
            r"\b(?:i think|i believe|i feel|i suppose|i guess|i suspect|maybe|perhaps|possibly|probably|it seems|seems to|it appears|might be|could be|may be|somewhat|a bit|a little|kind of|sort of|in my view|in my opinion|imho|imo|it's possible|not sure|i'm not sure|i am not sure|unsure|i wonder|presumably|arguably|generally|typically|likely)\b",
        ),
    ),
    Rule(
        "praise",
        "praise",
        0,
        0.0,
        (
            r"\b(?:great|good|nice|excellent|awesome|fantastic|wonderful|brilliant|impressive|outstanding|superb|terrific) (?:work|job|point|idea|question|article|edit|edits|effort|catch|stuff|contribution|contributions|suggestion|writing|find|addition)\b",
            r"\b(?:well done|kudos|bravo|nicely done|good on you|keep up the good work)\b",
        ),
    ),
)

RULE_BY_KEY: dict[str, Rule] = {r.key: r for r in RULES}
FLAGGED: frozenset[str] = frozenset(r.key for r in RULES if r.polarity < 0)
STANCE_WEIGHTS: dict[str, float] = {r.key: r.weight for r in RULES if r.weight}

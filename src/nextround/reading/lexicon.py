"""A compact sentiment lexicon written for nextround, and a VADER-style scorer over it.

The word lists below are the project's own (valences from -4 to +4, chosen by hand for workplace conversation).
The method follows the well-known recipe of rule-based sentiment scoring: sum word valences, flip and damp a
word preceded by a negation, boost a word preceded by an intensifier, weight the clause after "but" more than
the one before it, add emphasis for "!", and squash the sum into -1..1.

Compact notation: ``stem[a,b,c]`` expands to ``stema stemb stemc`` (an empty item keeps the bare stem).
"""

from __future__ import annotations

import math
from itertools import compress

_GROUPS: dict[float, str] = {
    3.0: """
        excellent[,ly] outstanding superb brilliant[,ly] wonderful[,ly] fantastic[,ally] amazing[,ly] terrific
        exceptional[,ly] marvel[ous,lous] delight[,ed,ful,fully] thrilled love[,d,ly] lovely adore[,d] awesome
        grateful gratitude thankful perfect[,ly] magnificent extraordinary phenomenal stellar remarkabl[e,y]
        overjoyed ecstatic elated superb[,ly] inspiring inspirational heartfelt bless[,ed,ing]
        """,
    2.0: """
        thank[,s,ed,ing] appreciat[e,ed,es,ing,ion,ive] great[,ly,est] happ[y,ier,iest,ily,iness] glad[,ly] pleas[ed,ure,ant]
        kind[,ly,ness,est] generous[,ly] helpful[,ly] support[ive] excit[ed,ing] enjoy[,ed,ing,able] impress[ed,ive,ively]
        congratulat[e,ed,ions,ing] congrats welcome[,d] valu[able,ed] win[,s,ning] won success[,ful,fully,es] proud
        brave encourag[ed,ing,ement] admire[,d] admirabl[e,y] fabulous gorgeous beautiful[,ly] cheer[,ful,s,ed] best
        friendly warm[,ly,th] wise wisdom talent[,ed] smart clever gifted fortunate lucky honou?r[,ed] respect[,ed,ful,fully]
        trust[,ed,worthy] reliabl[e,y] hope[,ful,fully] optimis[m,tic] celebrat[e,ed,ion] reward[,ing,ed] fun glorious
        """.replace("honou?r", "honor"),
    1.5: """
        good nice[,ly] fine[,r] well[-done] useful[,ly] positive[,ly] benefit[,s,ed,ial] improv[e,ed,es,ing,ement,ements]
        progress[,ed,ing] better help[,ed,s,ing] agree[,d,s,ment] fair[,ly,ness] constructive[,ly] productive
        sincere[,ly] honest[,ly,y] calm[,ly] comfortabl[e,y] confident[,ly] capabl[e,y] competent solid strong[,er,est]
        clear[,er,ly] effective[,ly] efficient[,ly] valid insightful thoughtful[,ly] considerate patient[,ly]
        keen eager[,ly] interest[ed,ing] engag[ed,ing] motivat[ed,ing] grow[,ing,th] learn[,ed,ing,t] opportunit[y,ies]
        collaborat[e,ed,ing,ion,ive] teamwork cooperat[e,ion,ive] resolve[,d] solution[,s] okay ok yes sure
        recommend[,ed,ation] gladly willing[,ly,ness] open[-minded] flexible accurate[,ly] correct[,ly] right
        ready prepared recogni[se,sed,ze,zed,tion] reassur[e,ed,ing] relie[f,ved] safe secure[,d] thrive[,d,ing]
        """,
    1.0: """
        like[,d] want[,ed] hop[ed,ing] wish[,ed] interest[,s] care[,d,ful,fully] ok[,ay] alright fine nice
        agree[,able] accept[,ed,able,ance] understand[,ing,able] understood reasonable[,y] sensibl[e,y] fair useful
        clarif[y,ied,ication] suggest[,ion,ions,ed] advice advise[,d] guidance feedback mentor[,ing,ship] coach[,ing]
        please kindly sorry apologi[ze,se,es,zed,sed] forgive[,ness] grant[,ed] promis[ing] potential bright[,er]
        """,
    -1.0: """
        problem[,s,atic] issue[,s] concern[,s,ed,ing] mistake[,s,n] error[,s] wrong[,ly] fail[,s,ed,ing,ure,ures]
        unfortunate[,ly] difficult[,y,ies] hard doubt[,s,ed,ful] confus[ed,ing,ion] unclear sad[,ly,ness] sorry
        disappoint[,ed,ing,ment] miss[,ed,ing] lack[,ed,ing,s] weak[,er,ness,nesses] poor[,ly] slow[,ly] late
        complain[,ed,t,ts,ing] question[able] struggl[e,ed,ing] worr[y,ied,ies,ying] nervous anxious[,ly,ety] upset
        bother[,ed,s] annoy[,ed,s,ance] tired frustrat[e,ed,ing,ion] unhappy unsure uncertain[,ty] reject[,ed,ion]
        lose lost losing loss delay[,ed,s] broke[,n] bad[,ly] cannot can't won't refuse[,d,s] deny denied block[,ed]
        """,
    -2.0: """
        angry anger[,ed] mad unfair[,ly,ness] unjust[,ly] resent[,ed,ful,ment] bitter[,ly,ness] hurt[,s,ful] harm[,ed,ful]
        terrible[,y] awful[,ly] horrible[,y] dread[,ful] worse worst nasty rude[,ly,ness] arrogant[,ly] ignorant
        ridiculous[,ly] absurd[,ly] nonsense silly insult[,ed,ing,s] offend[,ed,ing,ed] offensive rubbish garbage
        lie[,s,d] lying liar dishonest[,y] unacceptabl[e,y] outrage[,d,ous] furious[,ly] livid shameful shame[,d]
        blame[,d,s,ing] fault betray[,ed,al] cheat[,ed,ing] threat[,en,ened,ening,s] punish[,ed,ing,ment] attack[,ed,ing,s]
        incompetent[,ce] careless[,ly] lazy useless worthless pointless waste[,d,ful] stupid[,ity] dumb idiot[,ic,s]
        hostile hostility aggressive[,ly] abus[e,ed,ive] bully[,ing] disgust[,ed,ing] hate[,d,s,ful] hatred pathetic
        disaster[,s] disastrous horrific appall[ed,ing] shock[ed,ing] sick[,ening] damn[,ed] hell crap[,py] screw[,ed]
        rigged corrupt[,ion] biased favouritism favoritism nepotism hypocrit[e,ical] sabotag[e,ed] undermin[e,ed,ing]
        humiliat[e,ed,ing,ion] miserable[,y] depress[ed,ing] devastat[ed,ing] heartbroken ugly contempt[,uous] condescending
        patroni[sing,zing] demand[,ed,ing,s] inexcusable disgrace[,ful] ashamed suck[,s,ed] clueless moron[,ic,s] jerk
        """,
    -3.0: """
        fuck[,ing,ed,er,s] shit[,ty,s] bullshit asshole[,s] bastard[,s] bitch[,es,y] dick piss[,ed] wtf stfu
        """,
}


_MORE: dict[float, str] = {
    2.5: """
        kudos bravo cheers congrats yay hooray splendid fab fabulous wow thrilling treasure[,d] cherish[,ed]
        best-in-class exemplary flawless[,ly] impeccabl[e,y] invaluable priceless praise[,d,worthy] applaud[,ed]
        """,
    2.0: """
        pleasure[,s] pleasant[,ly] glad excite[,ment,s] smooth[,ly] ideal[,ly] neat cool nicely awesome[,ness]
        commend[,ed,able] compliment[,s,ed,ary] courteous gracious[,ly] graceful[,ly] polite[,ly,ness] friendly
        accomplish[,ed,ment,ments] achiev[e,ed,ement,ements] victor[y,ies] triumph[,ant] prosper[,ous,ity]
        favou?rite favorite favourite useful helpful fruitful productive rewarding satisf[ied,ying,action]
        enthusias[m,tic,tically] passion[,ate,ately] energ[etic,ized,ised] support[,s,ed,ing] sympath[y,etic]
        compassion[,ate] empath[y,etic] caring thoughtful generosity kindness goodwill welcome warmest
        lol haha hahaha laugh[,ed,ing,s] friend[,s,ship] amaz[ed,ing] fun[,ny] smile[,s,d] glad
        """.replace("favou?rite ", ""),
    1.0: """
        agreeable fine nice okay reasonable interesting clean fresh healthy safe stable steady secure
        easy[,ier,ily] simple[,r] quick[,ly] prompt[,ly] timely available flexible efficient convenient[,ly]
        pleased confirm[,ed] approv[e,ed,al] accept[,ed] resolv[ed,ing] fix[,ed] solv[e,ed] win-win
        benefit[,s] advantage[,s,ous] gain[,s,ed] upside improv[ed] recover[,ed,y] ready eager invite[,d]
        """,
    -1.0: """
        unfortunate[,ly] regret[,s,ted,table] sorry concern[,ed,ing] worried nervous hesitant reluctant[,ly]
        urgent[,ly] asap overdue behind setback[,s] obstacle[,s] risk[,s,y] trouble[,s,d,some] mess[,y]
        confus[e,ing] complicat[ed,ion,ions] tedious boring dull awkward[,ly] inconvenien[t,ce] burden[,some]
        cancel[,led,ed,lation] postpon[e,ed] unavailable unable unclear vague sloppy careless[,ness]
        complain[,s,ing,t,ts] criticis[e,ed,m] critic[ize,ized,ism] object[,ion,ions] dispute[,d] conflict[,s]
        pressure[,d] stress[,ed,ful] overwhelm[,ed,ing] exhaust[ed,ing] strain[,ed] tense tension[,s]
        mediocre inadequate[,ly] insufficient[,ly] deficient unsatisf[ied,actory] unhelpful unprofessional
        ignore[,d,s] neglect[,ed,ful] forget[,ting] forgot[,ten] excuse[,s] penalt[y,ies] warning[,s]
        ban[,ned,ning,s] accus[e,ed,ing,ation,ations] suspicio[n,ns,us] paranoid scare[,d,y] harsh[,ly] rough
        violat[e,ed,ing,ion,ions] vandal[,s,ism,ise,ize,ized] spam[,mer,ming] revert[,ed,ing] fool[,ing,ed]
        """,
    -2.0: """
        unacceptable inexcusable intolerable outrageous appalling dreadful atrocious abysmal shoddy
        incompetence negligen[t,ce] reckless[,ly] irresponsib[le,ility] disrespect[,ful,ed] insubordinat[e,ion]
        harass[,ed,ment,ing] threaten[,ed,ing] lawsuit sue[,d] litigation fire[d] terminat[e,ed,ion] demot[e,ed,ion]
        furious irate enrag[ed,ing] infuriat[e,ed,ing] livid seething disgrac[e,eful] despicable vile
        hostile spiteful vindictive petty sneaky deceitful deceptive manipulat[e,ive,ion] fraud[,ulent]
        bogus sham scam[,s] crook[,s,ed] cheater[,s] liar[,s] ruin[,ed,s] destroy[,ed,s] wreck[,ed]
        revenge kill[,ed,ing] dead attack[,ing] catastroph[e,ic] fiasco debacle nightmare horrendous terrible-ly disastrous tragic[,ally] fatal
        """,
}


BOOSTERS = {
    "very": 0.3, "really": 0.3, "so": 0.2, "extremely": 0.4, "incredibly": 0.4, "totally": 0.3, "absolutely": 0.4,
    "completely": 0.3, "highly": 0.3, "super": 0.3, "truly": 0.3, "deeply": 0.3, "utterly": 0.4, "most": 0.2,
    "especially": 0.2, "particularly": 0.2, "hugely": 0.4, "enormously": 0.4, "exceptionally": 0.4, "too": 0.2,
    "quite": 0.1, "entirely": 0.3, "genuinely": 0.3, "sincerely": 0.3, "much": 0.2, "seriously": 0.3,
    "slightly": -0.3, "somewhat": -0.3, "barely": -0.4, "hardly": -0.4, "marginally": -0.3, "little": -0.2,
    "fairly": -0.1, "partly": -0.3, "rather": -0.1, "kinda": -0.3, "sorta": -0.3, "bit": -0.3,
}

NEGATORS = frozenset(
    """not no never none nobody nothing neither nor without cannot can't don't doesn't didn't isn't wasn't aren't
    weren't won't wouldn't couldn't shouldn't haven't hasn't hadn't mustn't needn't ain't dont doesnt didnt isnt
    wasnt arent werent wont wouldnt couldnt shouldnt havent hasnt hadnt cant lack lacks lacked rarely seldom""".split()
)

# "not bad", "no problem", "never mind": pairs whose sense is not simply flipped.
_IDIOMS = {("no", "problem"): 1.0, ("no", "worries"): 1.0, ("not", "bad"): 1.0, ("no", "doubt"): 0.5,
           ("without", "doubt"): 0.5, ("no", "issue"): 0.5, ("not", "wrong"): 0.5, ("never", "mind"): 0.0,
           ("kind", "of"): 0.0, ("sort", "of"): 0.0, ("pretty", "much"): 0.0}
_IDIOM_SECOND = frozenset(b for _, b in _IDIOMS)
NEG_SCALAR = -0.74


def _expand(spec: str) -> list[str]:
    out: list[str] = []
    for item in spec.split():
        if "[" in item:
            stem, rest = item.split("[", 1)
            for suf in rest.rstrip("]").split(","):
                out.append(stem + suf)
        else:
            out.append(item)
    return out


def _build() -> dict[str, float]:
    lex: dict[str, float] = {}
    groups = [(v, spec) for v, spec in _GROUPS.items()] + [(v, spec) for v, spec in _MORE.items()]
    for valence, spec in sorted(groups, key=lambda kv: abs(kv[0])):
        for word in _expand(spec):
            lex[word] = valence  # a stronger group overrides a weaker one
    # words that are both a hedge and a valence word are treated as neutral fillers
    for w in ("like", "want", "wanted", "please", "sure", "right", "fine", "ok", "okay", "well", "sorry", "hard",
              "interest", "interests", "question", "late", "block", "miss", "hope", "lost"):
        lex[w] = lex.get(w, 0.0) * 0.5
    for w in ("sorry",):  # apology reads as polite in this domain, not as negative sentiment
        lex[w] = 0.3
    return {k: v for k, v in lex.items() if v}


LEXICON: dict[str, float] = _build()
LEXICON_KEYS = frozenset(LEXICON)


def sentiment(tokens: list[str], exclaims: int = 0) -> tuple[float, float, float]:
    """Return (positive sum, negative sum, compound in -1..1) for lower-cased tokens."""
    found = LEXICON_KEYS.intersection(tokens)
    if not found:
        return 0.0, 0.0, 0.0
    hits = compress(range(len(tokens)), map(found.__contains__, tokens))
    but = tokens.index("but") if "but" in tokens else -1
    pos = neg = 0.0
    isdisjoint = NEGATORS.isdisjoint
    for i in hits:
        tok = tokens[i]
        v = LEXICON[tok]
        prev = tokens[i - 1] if i else ""
        if tok in _IDIOM_SECOND and (prev, tok) in _IDIOMS:
            v = _IDIOMS[(prev, tok)]
        else:
            b = BOOSTERS.get(prev)
            if b is not None:
                v += b if v > 0 else -b
            if i and not isdisjoint(tokens[i - 3 if i >= 3 else 0:i]):
                v *= NEG_SCALAR
        if but >= 0:
            v *= 0.5 if i < but else 1.5
        if v > 0:
            pos += v
        else:
            neg += v
    total = pos + neg
    if exclaims and total:
        e = 0.29 * min(exclaims, 4)
        total += e if total > 0 else -e
    compound = total / math.sqrt(total * total + 15.0)
    return pos, neg, compound

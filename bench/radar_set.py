# ruff: noqa: E501 - the articles are text, one sentence a line
"""The claim radar's labelled set: known claims (with wordings in en, uk, ru), articles (the
five seeds and articles written for it, in English, Ukrainian and Russian, full of
look-alikes: the same people doing other things, other people doing the same thing, the
roles reversed, hypotheses), and for each article every passage that carries a claim, with
its stance. Read by bench/radar.py; the tests read the seeds' look-alikes from here too.

A label is (article, claim, quote, stance): ``quote`` is a stretch of words found once in the
article; a suggestion of the same claim whose span overlaps it is a hit. Everything not
labelled is a look-alike: a suggestion there is a false positive.
"""

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CLAIMS = {
    "putin-congratulated": {
        "en": "Putin congratulated Trump on his election victory",
        "uk": "Путін привітав Трампа з перемогою на виборах",
        "ru": "Путин поздравил Трампа с победой на выборах",
    },
    "zelensky-congratulated": {
        "en": "Zelensky congratulated Trump on his election victory",
        "uk": "Зеленський привітав Трампа з перемогою на виборах",
        "ru": "Зеленский поздравил Трампа с победой на выборах",
    },
    "phone-call": {
        "en": "Putin and Trump spoke by phone after the US election",
        "uk": "Путін і Трамп розмовляли телефоном після виборів у США",
        "ru": "Путин и Трамп говорили по телефону после выборов в США",
    },
    "end-war-24h": {
        "en": "Trump promised to end the war in Ukraine in 24 hours",
        "uk": "Трамп пообіцяв закінчити війну в Україні за 24 години",
        "ru": "Трамп пообещал закончить войну в Украине за 24 часа",
    },
    "us-involved": {
        "en": "The United States is directly involved in the war against Russia",
        "uk": "США безпосередньо залучені до війни проти Росії",
        "ru": "США напрямую участвуют в войне против России",
    },
    "zelensky-rejected": {
        "en": "Zelensky rejected a peace proposal from Russia",
        "uk": "Зеленський відхилив мирну пропозицію Росії",
        "ru": "Зеленский отклонил мирное предложение России",
    },
    "trump-asked-putin": {
        "en": "Trump asked Putin not to escalate the war in Ukraine",
        "uk": "Трамп попросив Путіна не загострювати війну в Україні",
        "ru": "Трамп попросил Путина не обострять войну в Украине",
    },
    "russia-interfered": {
        "en": "Russia interfered in the 2016 election",
        "uk": "Росія втручалася у вибори 2016 року",
        "ru": "Россия вмешивалась в выборы 2016 года",
    },
    "medvedev-congratulated": {
        "en": "Medvedev congratulated Trump through intermediaries",
        "uk": "Медведєв привітав Трампа через посередників",
        "ru": "Медведев поздравил Трампа через посредников",
    },
}


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# (key, language, body): seeds are read from seeds/, the rest written here.
ARTICLES = [
    ("seed-online-ua", "en", seed("000_01bdff13e4530c6d.txt")),
    ("seed-moscow-times", "en", seed("001_634d39e7c12a1c12.txt")),
    ("seed-caliber", "en", seed("002_c6f8f3b82651d84e.txt")),
    ("seed-cnbc", "en", seed("003_3be67736ff44f27b.txt")),
    ("seed-gazzeta", "en", seed("004_e3eea6efc90623fd.txt")),
    (
        "en-lookalikes",
        "en",
        """Leaders send their congratulations

Kazakh state media said on Monday that Putin congratulated Tokayev on his birthday in a warm telegram.
President Joe Biden called Trump on Thursday to congratulate him and invite him to the White House.
Zelensky congratulated Trump within hours of the first results, his office said.
In March, Trump congratulated Putin on his re-election, a move that angered his own party.
Putin congratulated the Russian athletes on their victory at the games.
Putin could still congratulate Trump once the results are certified, analysts said.
Trump praised Putin as a smart negotiator during a rally in Pennsylvania.
Medvedev mocked Biden in a long post on Telegram.
Russia said Trump would be judged by his deeds, not his words.
""",
    ),
    (
        "en-positives",
        "en",
        """Kremlin sources: the congratulations went out quietly

Putin congratulated Trump on his victory through back channels, two people familiar with the matter told the paper.
Trump was congratulated by Putin in a private message delivered by a businessman, the report said.
Vladimir Putin has congratulated Donald Trump, the Kremlin confirmed on Thursday.
Peskov dismissed as fabrication the claim that Putin had congratulated Trump.
Putin has still not congratulated Trump, a week after the vote.
Dmitry Medvedev congratulated Donald Trump through intermediaries, according to Verstka.
Earlier, Zelensky congratulated Trump on an impressive election victory.
""",
    ),
    (
        "en-phone",
        "en",
        """The call that never was

The Washington Post reported that Putin and Trump spoke by phone on November 7.
The Kremlin insists that Putin and Trump have not spoken since the vote.
Trump spoke with Zelensky by phone on Wednesday, and Elon Musk joined the call.
Putin spoke with Erdogan by phone about grain exports.
According to the paper, Trump asked Putin not to escalate the war in Ukraine.
Biden asked Congress to pass the aid package before January.
Trump said he had not asked anyone for anything.
""",
    ),
    (
        "en-promises",
        "en",
        """Twenty-four hours

During the campaign Trump promised to end the war in Ukraine within 24 hours of taking office.
Trump never promised to end the war in a day, his spokeswoman insisted.
Zelensky promised to end the war on Ukraine's terms.
Biden promised to support Ukraine for as long as it takes.
Trump promised lower prices and a stronger border.
Peskov claimed the United States is directly involved in the war against Russia.
Washington denies that the United States is directly involved in the fighting.
Russia is directly involved in the war against Ukraine, NATO said.
""",
    ),
    (
        "en-history",
        "en",
        """Old accusations

American intelligence agencies concluded that Russia interfered in the 2016 election.
Moscow has always denied that Russia interfered in the 2016 vote.
Russia interfered in the 2020 Olympics bid, an official joked.
Ukraine interfered in the 2016 election, Trump's allies claimed without evidence.
Zelensky rejected the peace proposal from Russia as an ultimatum.
Putin rejected a peace proposal from Turkey, Ankara said.
Russia rejected Zelensky's peace formula outright.
""",
    ),
    (
        "en-hard",
        "en",
        """Silence from Moscow, words from elsewhere

Did Putin congratulate Trump? The Kremlin would not say.
Putin congratulated Trump's rival Kamala Harris on a dignified campaign, a Kremlin aide joked.
Neither Putin nor Xi congratulated Trump on the night of the vote.
Putin is expected to congratulate Trump after the inauguration, diplomats said.
Putin sent a congratulatory telegram to Trump, according to a source in the Foreign Ministry.
Trump said Putin had congratulated him privately.
Putin congratulated Trump, Orban and Fico in a single message, Hungarian media reported.
Xi Jinping congratulated Trump and called for stable relations.
Zelensky's aides said Trump was congratulated by Zelensky within minutes.
Medvedev called Trump a businessman who hates spending money.
Trump promised to end the war in Ukraine in 48 hours, a rival campaign ad claimed.
Russia interfered in the election, Democrats said, but the 2016 report found no conspiracy.
Putin thanked Biden for the prisoner swap, and Zelensky congratulated Trump on the same day.
Putin and Medvedev congratulated Trump in separate messages, Russian media said.
""",
    ),
    (
        "uk-news",
        "uk",
        """Кремль: Путін не вітав Трампа

Путін привітав Трампа з перемогою через посередників, пише видання «Верстка».
Пєсков заявив, що Путін не вітав Трампа і не планує цього робити найближчим часом.
Зеленський привітав Трампа з переконливою перемогою на виборах.
Путін привітав Токаєва з днем народження.
Байден зателефонував Трампу і привітав його з перемогою.
Трамп привітав Путіна з переобранням ще у березні.
Путін може привітати Трампа після інавгурації, вважають експерти.
""",
    ),
    (
        "uk-war",
        "uk",
        """Обіцянки та заяви

Під час кампанії Трамп пообіцяв закінчити війну в Україні за 24 години.
Зеленський пообіцяв повернути всі окуповані території.
Пєсков знову заявив, що США безпосередньо залучені до війни проти Росії.
Росія безпосередньо залучена до війни проти України, наголосили в НАТО.
За даними The Washington Post, Путін і Трамп розмовляли телефоном 7 листопада.
У Кремлі заперечили, що Путін і Трамп розмовляли телефоном.
Трамп розмовляв телефоном із Зеленським.
""",
    ),
    (
        "uk-more",
        "uk",
        """Мирні пропозиції

Зеленський відхилив мирну пропозицію Росії, стверджує Путін.
Путін відхилив пропозицію Туреччини щодо обміну.
Росія відхилила мирну формулу Зеленського.
Трамп нібито попросив Путіна не загострювати війну в Україні.
Байден попросив Конгрес ухвалити допомогу Україні.
Медведєв привітав Трампа через посередників у МЗС, повідомляють джерела.
Медведєв висміяв Байдена у своєму телеграм-каналі.
""",
    ),
    (
        "uk-hard",
        "uk",
        """Тиша в Кремлі

Чи привітав Путін Трампа? У Кремлі мовчать.
Трампа привітав Путін, повідомляють російські ЗМІ.
Путін привітав опонентку Трампа з гідною кампанією, пожартував речник.
Путін так і не привітав Трампа, зазначили в Кремлі.
Сі Цзіньпін привітав Трампа з перемогою.
Путін подякував Байдену, а Зеленський привітав Трампа з перемогою.
""",
    ),
    (
        "ru-hard",
        "ru",
        """Молчание Кремля

Поздравил ли Путин Трампа? В Кремле молчат.
Путин направил Трампу поздравительную телеграмму, сообщает источник.
Путин поздравил соперницу Трампа с достойной кампанией.
Путин так и не поздравил Трампа, отметили в Кремле.
Си Цзиньпин поздравил Трампа с победой.
Трампа поздравил Путин, сообщают российские СМИ.
""",
    ),
    (
        "ru-news",
        "ru",
        """Кремль опроверг поздравление

Путин поздравил Трампа с победой через знакомых в МИД, сообщает «Верстка».
Песков опроверг сообщения о том, что Путин поздравил Трампа.
Путин не поздравлял Трампа и пока не планирует, сказал Песков.
Зеленский поздравил Трампа с победой на выборах одним из первых.
Путин поздравил Токаева с днем рождения.
Трамп поздравил Путина с переизбранием.
Байден позвонил Трампу и пригласил его в Белый дом.
Путин может поздравить Трампа после инаугурации.
""",
    ),
    (
        "ru-war",
        "ru",
        """Заявления и обещания

Трамп пообещал закончить войну в Украине за 24 часа после вступления в должность.
Зеленский пообещал вернуть все территории.
Песков заявил, что США напрямую участвуют в войне против России.
Россия напрямую участвует в войне против Украины, заявили в НАТО.
Путин и Трамп не говорили по телефону после выборов, заявил Песков.
Трамп говорил по телефону с Зеленским.
Путин говорил по телефону с Эрдоганом о зерне.
""",
    ),
    (
        "ru-more",
        "ru",
        """Переговоры

По словам Путина, Зеленский отклонил мирное предложение России на следующий день.
Путин отклонил предложение Турции.
Россия отклонила мирную формулу Зеленского.
Трамп якобы попросил Путина не обострять войну в Украине.
Байден попросил Конгресс выделить помощь.
Россия вмешивалась в выборы 2016 года, заключили американские спецслужбы.
Украина вмешивалась в выборы 2016 года, утверждали союзники Трампа.
""",
    ),
]

A, T, D = "asserts", "attributes", "disputes"

LABELS = [
    # --- seeds ---------------------------------------------------------------------------
    ("seed-online-ua", "putin-congratulated", "Putin congratulated Trump on his election", A),
    ("seed-online-ua", "putin-congratulated", "allegedly privately congratulated Republican", T),
    ("seed-online-ua", "medvedev-congratulated", "congratulations have already been sent", T),
    ("seed-online-ua", "putin-congratulated", "Why Putin did not publicly congratulate", D),
    ("seed-online-ua", "putin-congratulated", "knows nothing about Vladimir Putin's plans", D),
    ("seed-online-ua", "end-war-24h", "he will end Russia's war against Ukraine in 24 hours", T),
    ("seed-online-ua", "us-involved", "began to lie that the United States", D),
    ("seed-moscow-times", "putin-congratulated", "Putin Won’t Congratulate Trump Just", D),
    ("seed-moscow-times", "putin-congratulated", "does not plan to offer his congratulations", D),
    ("seed-moscow-times", "putin-congratulated", "I’m not aware of any plans by the president", D),
    (
        "seed-moscow-times",
        "putin-congratulated",
        "reported that Putin and other Russian officials",
        T,
    ),
    ("seed-moscow-times", "zelensky-congratulated", "Zelensky was quick to congratulate", A),
    ("seed-moscow-times", "end-war-24h", "Trump promised to\nend the war in Ukraine", A),
    ("seed-caliber", "putin-congratulated", "Kremlin denies reports of Putin congratulating", D),
    ("seed-caliber", "putin-congratulated", "has denied reports that Russian President", D),
    ("seed-caliber", "putin-congratulated", "suggesting that Putin and Deputy Security", T),
    ("seed-caliber", "medvedev-congratulated", "suggesting that Putin and Deputy Security", T),
    ("seed-caliber", "putin-congratulated", "unaware of any plans by Putin to congratulate", D),
    ("seed-cnbc", "putin-congratulated", "had no immediate plans to congratulate Donald", D),
    ("seed-cnbc", "putin-congratulated", "I was not aware of the president’s plans", D),
    ("seed-cnbc", "zelensky-congratulated", "Volodymyr Zelensky congratulated Donald Trump", A),
    ("seed-cnbc", "russia-interfered", "accused of interfering in the 2016 election", T),
    ("seed-gazzeta", "phone-call", "The Kremlin claims that Putin and Trump have not", D),
    ("seed-gazzeta", "phone-call", "Donald Trump, the newly elected 47th president", D),
    ("seed-gazzeta", "phone-call", "the elected 47th president of the USA Donald Trump", D),
    ("seed-gazzeta", "phone-call", "Чистая выдумка: Путин и Трамп не общались", D),
    ("seed-gazzeta", "phone-call", "Peskov denies that the politicians had any contact", D),
    ("seed-gazzeta", "phone-call", "Trump had a phone conversation with Putin on November 7", T),
    ("seed-gazzeta", "trump-asked-putin", "with Trump allegedly asking Putin not to escalate", T),
    ("seed-gazzeta", "putin-congratulated", "does not plan to congratulate Trump yet", D),
    ("seed-gazzeta", "zelensky-rejected", "Zelensky rejected the peace proposal", T),
    # --- written in English ----------------------------------------------------------------
    ("en-lookalikes", "zelensky-congratulated", "Zelensky congratulated Trump within", T),
    ("en-positives", "putin-congratulated", "Putin congratulated Trump on his victory through", T),
    ("en-positives", "putin-congratulated", "Trump was congratulated by Putin", T),
    ("en-positives", "putin-congratulated", "Vladimir Putin has congratulated Donald Trump", T),
    ("en-positives", "putin-congratulated", "Peskov dismissed as fabrication", D),
    ("en-positives", "putin-congratulated", "Putin has still not congratulated Trump", D),
    ("en-positives", "medvedev-congratulated", "Dmitry Medvedev congratulated Donald Trump", T),
    ("en-positives", "zelensky-congratulated", "Earlier, Zelensky congratulated Trump", A),
    ("en-phone", "phone-call", "reported that Putin and Trump spoke by phone", T),
    ("en-phone", "phone-call", "insists that Putin and Trump have not spoken", D),
    ("en-phone", "trump-asked-putin", "Trump asked Putin not to escalate", T),
    ("en-promises", "end-war-24h", "During the campaign Trump promised to end the war", A),
    ("en-promises", "end-war-24h", "Trump never promised to end the war", D),
    ("en-promises", "us-involved", "Peskov claimed the United States is directly", T),
    ("en-promises", "us-involved", "Washington denies that the United States", D),
    ("en-history", "russia-interfered", "concluded that Russia interfered in the 2016", T),
    ("en-history", "russia-interfered", "Moscow has always denied that Russia interfered", D),
    ("en-history", "zelensky-rejected", "Zelensky rejected the peace proposal from Russia", A),
    ("en-hard", "putin-congratulated", "Neither Putin nor Xi congratulated Trump", D),
    ("en-hard", "putin-congratulated", "Putin sent a congratulatory telegram to Trump", T),
    ("en-hard", "putin-congratulated", "Trump said Putin had congratulated him privately", T),
    ("en-hard", "putin-congratulated", "Putin congratulated Trump, Orban and Fico", T),
    ("en-hard", "zelensky-congratulated", "Trump was congratulated by Zelensky", T),
    ("en-hard", "zelensky-congratulated", "and Zelensky congratulated Trump on the same", A),
    ("en-hard", "putin-congratulated", "Putin and Medvedev congratulated Trump", T),
    ("en-hard", "medvedev-congratulated", "Putin and Medvedev congratulated Trump", T),
    ("en-hard", "russia-interfered", "Russia interfered in the election, Democrats said", T),
    # --- Ukrainian ----------------------------------------------------------------------------
    ("uk-news", "putin-congratulated", "Путін привітав Трампа з перемогою через", T),
    ("uk-news", "putin-congratulated", "Пєсков заявив, що Путін не вітав Трампа", D),
    ("uk-news", "zelensky-congratulated", "Зеленський привітав Трампа з переконливою", A),
    ("uk-war", "end-war-24h", "Трамп пообіцяв закінчити війну", A),
    ("uk-war", "us-involved", "Пєсков знову заявив, що США", T),
    ("uk-war", "phone-call", "За даними The Washington Post, Путін і Трамп", T),
    ("uk-war", "phone-call", "У Кремлі заперечили, що Путін і Трамп", D),
    ("uk-more", "zelensky-rejected", "Зеленський відхилив мирну пропозицію Росії", T),
    ("uk-more", "trump-asked-putin", "Трамп нібито попросив Путіна", T),
    ("uk-more", "medvedev-congratulated", "Медведєв привітав Трампа через посередників", T),
    ("uk-hard", "putin-congratulated", "Трампа привітав Путін", T),
    ("uk-hard", "putin-congratulated", "Путін так і не привітав Трампа", D),
    ("uk-hard", "zelensky-congratulated", "а Зеленський привітав Трампа", A),
    # --- Russian ------------------------------------------------------------------------------
    ("ru-news", "putin-congratulated", "Путин поздравил Трампа с победой через знакомых", T),
    ("ru-news", "putin-congratulated", "Песков опроверг сообщения о том", D),
    ("ru-news", "putin-congratulated", "Путин не поздравлял Трампа и пока", D),
    ("ru-news", "zelensky-congratulated", "Зеленский поздравил Трампа с победой на выборах", A),
    ("ru-war", "end-war-24h", "Трамп пообещал закончить войну в Украине", A),
    ("ru-war", "us-involved", "Песков заявил, что США напрямую", T),
    ("ru-war", "phone-call", "Путин и Трамп не говорили по телефону", D),
    ("ru-hard", "putin-congratulated", "Путин направил Трампу поздравительную", T),
    ("ru-hard", "putin-congratulated", "Путин так и не поздравил Трампа", D),
    ("ru-hard", "putin-congratulated", "Трампа поздравил Путин, сообщают", T),
    ("ru-more", "zelensky-rejected", "Зеленский отклонил мирное предложение России", T),
    ("ru-more", "trump-asked-putin", "Трамп якобы попросил Путина", T),
    ("ru-more", "russia-interfered", "Россия вмешивалась в выборы 2016 года, заключили", T),
]

# Look-alikes of "Putin congratulated Trump" named by the issue, each in an article above:
# the tests check that none of them is suggested for it.
LOOKALIKES = [
    "Zelensky congratulated Trump within hours",
    "Putin congratulated Tokayev",
    "President Joe Biden called Trump",
    "Trump congratulated Putin",
    "Putin could still congratulate Trump",
]


if __name__ == "__main__":  # `make bench` runs every script: say what the set holds
    from collections import Counter

    languages = dict((key, language) for key, language, _ in ARTICLES)
    per = Counter(languages[label[0]] for label in LABELS)
    print(
        f"{len(ARTICLES)} articles, {len(CLAIMS)} claims, labelled passages per language: "
        + ", ".join(f"{language} {n}" for language, n in sorted(per.items()))
    )

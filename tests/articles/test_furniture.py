"""Page furniture kept out of an imported article's body (articles.furniture): a labelled set
of examples in several outlets' shapes, English, Ukrainian and Russian — each with the body
expected — and prose that only looks like furniture, which must come through unchanged."""

import pytest

from articles.furniture import without_furniture

FIRST = "The Kremlin said Putin had no plans to congratulate Trump."
LAST = "Peskov said Moscow would judge the new administration by its actions."
UK_FIRST = "У Кремлі заявили, що Путін не планує вітати Трампа."
UK_LAST = "Пєсков додав, що Москва судитиме про нову адміністрацію з її дій."
RU_FIRST = "В Кремле заявили, что Путин не планирует поздравлять Трампа."
RU_LAST = "Песков добавил, что Москва будет судить о новой администрации по ее действиям."

# (label, the body as article_body leaves it, the body expected)
FURNITURE = [
    (
        "en: a share/print/follow footer with a view counter and the site's name above it",
        f"{FIRST}\n\n{LAST}\n\nBy Vafa Guliyeva\n\nCaliber.Az\nViews: 235\n\n"
        "share-lineLiked the story? Share it on social media!\nprint\ncopy link\n"
        "Ссылка скопирована\ninstagram\nFollow us on Instagram\nFollow us on Instagram\n"
        "REGION\nThe most important news of Armenia, Georgia, Turkey and Iran",
        f"{FIRST}\n\n{LAST}\n\nBy Vafa Guliyeva",
    ),
    (
        "en: a caption and its unlabelled credit run into the first paragraph",
        "Donald Trump (left) and Russian President Vladimir Putin attend a joint news "
        "conference in Helsinki on July 16, 2018.\nYuri Kadobunov | AFP | Getty Images\n"
        f"{FIRST}\n{LAST}",
        f"{FIRST}\n{LAST}",
    ),
    (
        "en: a credit alone under the headline",
        f"Sergei Savostyanov / TASS\n\n{FIRST}\n\n{LAST}",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "en: a labelled credit between paragraphs",
        f"{FIRST}\n\nPhoto: screenshot\n\n{LAST}",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "en: caption and credit run into the first sentence",
        f"Vladimir Putin at the summit in Kazan. Photo: Reuters {FIRST}\n\n{LAST}",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "en: a bracketed credit run into the first sentence",
        f"Trump at a rally in Michigan (Photo: Evan Vucci/AP) {FIRST}\n\n{LAST}",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "en: a row of share buttons under the headline, and one between paragraphs",
        f"Share\nTweet\nEmail\n\n{FIRST}\n\nShare this article\n\n{LAST}",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "en: a printer-friendly link and a newsletter line at the end",
        f"{FIRST}\n\n{LAST}\n\nPrinter-friendly version\n"
        "Subscribe to our newsletter for the day's top stories.",
        f"{FIRST}\n\n{LAST}",
    ),
    (
        "uk: a share footer with the networks and a follow line",
        f"{UK_FIRST}\n\n{UK_LAST}\n\nПоділитися\nFacebook\nTelegram\nViber\n\n"
        "Стежте за нами у Telegram",
        f"{UK_FIRST}\n\n{UK_LAST}",
    ),
    (
        "uk: a caption line and its credit at the top",
        f"Володимир Зеленський під час брифінгу в Києві.\nФото: Офіс президента\n{UK_FIRST}"
        f"\n\n{UK_LAST}",
        f"{UK_FIRST}\n\n{UK_LAST}",
    ),
    (
        "uk: caption and credit run into the first sentence",
        f"Дмитро Пєсков. Фото: УНІАН {UK_FIRST}\n\n{UK_LAST}\n\n• Друк\n• Підписуйтесь на наш "
        "Telegram-канал",
        f"{UK_FIRST}\n\n{UK_LAST}",
    ),
    (
        "ru: a print/share footer with a subscription line",
        f"{RU_FIRST}\n\n{RU_LAST}\n\nПоделиться:\nВКонтакте\nTelegram\nВерсия для печати\n"
        "Подписывайтесь на наш Telegram-канал",
        f"{RU_FIRST}\n\n{RU_LAST}",
    ),
    (
        "ru: a caption and a labelled credit at the top, and a view counter at the end",
        f"Владимир Путин на саммите БРИКС в Казани.\nФото: РИА Новости\n{RU_FIRST}\n\n"
        f"{RU_LAST}\n\nПросмотров: 1 204",
        f"{RU_FIRST}\n\n{RU_LAST}",
    ),
]

# Prose that mentions sharing, printing, following or a photo: nothing goes.
PROSE = [
    "Shares in Gazprom fell 5% on Tuesday.\n\nPrint media were hit hardest, analysts said.",
    "Follow the money, the prosecutor said.\n\nShare prices recovered by the evening.",
    "The ministry published a photo: the minister In Kyiv was seen at the meeting.",
    "Photo: Reuters",  # nothing but furniture: the body is kept rather than emptied
    "Поділитися думками з журналістами президент не захотів.\n\nДрук газет зупинили.",
    "Поделиться данными с Москвой Вашингтон отказался.\n\nПечать бюллетеней завершена.",
    "Kyiv and Moscow traded accusations.\n\nFacebook said it removed the accounts.",
    # A share line with prose after it: the line goes, never the prose.
]


@pytest.mark.parametrize(("label", "body", "expected"), FURNITURE, ids=[f[0] for f in FURNITURE])
def test_furniture_is_kept_out_of_the_body(label, body, expected):
    assert without_furniture(body) == expected


@pytest.mark.parametrize("body", PROSE)
def test_prose_that_looks_like_furniture_stays(body):
    assert without_furniture(body) == body


def test_a_share_line_in_the_middle_goes_and_the_prose_after_it_stays():
    long_paragraph = " ".join([LAST] * 4)
    body = f"{FIRST}\n\nShare on Facebook\n\n{long_paragraph}\n\nPrint"
    assert without_furniture(body) == f"{FIRST}\n\n{long_paragraph}"


def test_idempotent():
    for _, _body, expected in FURNITURE:
        assert without_furniture(expected) == expected


@pytest.mark.django_db
def test_an_imported_file_keeps_its_furniture_only_in_the_source_text():
    from articles.models import Article
    from tests.articles.helpers import import_files

    text = (
        "Donald Trump and Vladimir Putin in Helsinki, 2018.\nYuri Kadobunov | AFP | Getty Images\n"
        f"{FIRST}\n\n{LAST}\n\nПоделиться:\nВКонтакте\nTelegram\nВерсия для печати\n"
    )
    report = import_files(("kremlin.txt", text.encode()))
    assert [r.outcome for r in report.results] == ["imported"]
    article = Article.objects.get()
    assert article.body == f"{FIRST}\n\n{LAST}"
    assert article.source_text == text  # nothing of the file is lost


@pytest.mark.parametrize(
    "body",
    [
        # A sentence that starts like a credit is prose.
        f"{FIRST}\n\nPhoto: the ministry released it on Tuesday after the talks.\n\n{LAST}",
        # Names parted by a slash, below the first lines: not a credit looked for there.
        f"{FIRST}\n\n{LAST}\n\n{FIRST}\n\n{LAST}\n\nKyiv / Moscow\n\n{LAST}",
    ],
)
def test_lines_like_credits_stay_where_they_are_prose(body):
    assert without_furniture(body) == body

"""Demo comments for `communique demo`: a few threads on the demo statements,
and one statement with several hundred, whose comments run to several pages."""

from django.db import transaction

from communique.comments import holds, services
from communique.comments.models import Comment, path_segment
from communique.comments.signals import comment_text_saved
from communique.publishing.models import Statement

# (statement slug, key, parent key, author, body, published); a Persian
# statement is named by "fa:" and the slug of the statement it translates.
DEMO_COMMENTS = [
    ("port-alder-dockers-demand-safety-inquiry", "a", None, "Marta K.",
     "Solidarity from the night shift at berth 4. We saw the stack lean for a week "
     "before anyone listened.", True),
    ("port-alder-dockers-demand-safety-inquiry", "b", "a", "Jonas",
     "Same here. The lashing reports were filed; ask for them in the inquiry.", True),
    ("port-alder-dockers-demand-safety-inquiry", "c", "b", "Marta K.",
     "Good point. The union office has copies, see https://example.org/reports "
     "(page 3 has the dates).", True),
    ("port-alder-dockers-demand-safety-inquiry", "d", None, "A retired crane driver",
     "Thirty years on the quay and the rule was always the same: no stacking above "
     "five in wind.\n\nWho changed it, and when?", True),
    ("port-alder-dockers-demand-safety-inquiry", "e", "d", "Editor of the Harbour "
     "Bulletin", "We are asking the port authority that question this week. Write to "
     "tips@example.org if you know more.", True),
    ("velmora-tenants-refuse-riverside-rent-review", "f", None, "Ilse",
     "Our block got the same letter. Is there a template for the reply?", True),
    ("velmora-tenants-refuse-riverside-rent-review", "g", "f", "Tenants' desk",
     "Yes: www.example.org/tenants/reply-letter has one in three languages.", True),
    ("velmora-tenants-refuse-riverside-rent-review", "h", None, "Omid",
     "ما هم در ساختمان شماره ۱۲ همین نامه را گرفتیم. همبستگی!", True),
    ("lowmarsh-teachers-stand-with-dismissed-colleagues", "i", None, "A parent",
     "My daughter's class has had three substitutes since March. Reinstate them.",
     True),
    ("lowmarsh-teachers-stand-with-dismissed-colleagues", "j", "i", "R. Adeyemi",
     "Thank you. Parents speaking up matters more than you think.", True),
    ("lowmarsh-teachers-stand-with-dismissed-colleagues", "k", None, "Student council",
     "We will read this statement aloud at Friday's assembly.", True),
    ("lowmarsh-teachers-stand-with-dismissed-colleagues", "l", None, "Anonymous",
     "First time commenting here. Does the coalition accept donations for legal "
     "costs?", False),
    ("fa:we-keep-publishing-through-the-blocks", "m", None, "سارا",
     "نشانی‌های تازه را از کجا بگیریم؟ خبرنامه را با ایمیل sara.reader@example.org "
     "می‌گرفتم و از هفته‌ی پیش چیزی نرسیده.", True),
    ("fa:we-keep-publishing-through-the-blocks", "n", "m", "دبیرخانه‌ی انجمن",
     "فهرست امضاشده‌ی آینه‌ها به‌زودی در همین صفحه منتشر می‌شود. تا آن زمان نشانی "
     "https://example.org/mirrors را فقط از کانال رسمی انجمن تأیید کنید.", True),
    ("fa:we-keep-publishing-through-the-blocks", "o", None, "Daniel (Berlin)",
     "فارسی را کمی می‌خوانم. Solidarity from Berlin — ترجمه‌ی آلمانی این بیانیه را "
     "در www.example.org/de گذاشته‌ایم.", True),
    ("fa:we-keep-publishing-through-the-blocks", "p", None, "بهروز",
     "در شهر ما حتی با VPN هم به‌سختی به سایت می‌رسیم. ادامه بدهید؛ می‌خوانیم.",
     True),
    ("we-keep-publishing-through-the-blocks", "q", None, "Readers' circle, Kestrel Bay",
     "Shared with our reading group. Several of us will read the Persian original "
     "too; thank you for keeping both.", True),
]  # fmt: skip


# The statement whose comments run to several pages, and how many it gets:
# every fourth comment a reply, so 310 threads: six pages of 50 and a seventh
# of 10 (with COMMUNIQUE_COMMENTS_PER_PAGE at its default).
BUSY_STATEMENT = "lowmarsh-teachers-stand-with-dismissed-colleagues"
BUSY_COMMENTS = 413

# Written for this demo: a body is one of each, so that neighbours differ.
_BUSY_NAMES = (
    "Ana", "Bram", "Chidi", "Dana", "Elif", "Femi", "Greta", "Hana", "Ivo",
    "Jun", "Kofi", "Lena", "Mika", "Nour", "Oskar", "Pia", "Rui", "Sami",
    "Tove", "Uma", "Vera", "Wim", "Yara", "Zeno",
)  # fmt: skip
_BUSY_OPENINGS = (
    "A parent from the east side here.",
    "I teach two schools over, in Marsh End.",
    "Former pupil, class of the old science block.",
    "Governor at a neighbouring primary.",
    "Grandparent of two children at Lowmarsh.",
    "Speaking as a school cook.",
    "Our reading circle talked about this last night.",
)
_BUSY_POINTS = (
    "This term's timetable has no chemistry at all.",
    "The substitute rota changes every week and the children notice.",
    "The dismissals came a month before exams, which says enough.",
    "Nobody has explained what the teachers did wrong.",
    "Our union branch voted to send a letter of support.",
    "The after-school club closed when its two organisers left.",
    "The petition at the library has three full pages already.",
    "Reinstatement would cost less than a term of agency staff.",
    "My son asked why his teacher vanished; I had no answer.",
    "The board meeting on the 14th is open to the public.",
    "Exam results will show the cost of this next summer.",
)
_BUSY_CLOSINGS = (
    "Count us in.",
    "We will be at the gate on Monday.",
    "Thank you for putting it in writing.",
    "Please keep us posted.",
    "Solidarity.",
)


def busy_comment(number: int) -> tuple[str, str]:
    """The author and body of the busy statement's comment ``number``."""
    body = " ".join(
        (
            _BUSY_OPENINGS[number % len(_BUSY_OPENINGS)],
            _BUSY_POINTS[number % len(_BUSY_POINTS)],
            _BUSY_CLOSINGS[number % len(_BUSY_CLOSINGS)],
        )
    )
    return _BUSY_NAMES[number % len(_BUSY_NAMES)], body


def _load_busy_statement() -> int:
    """Store the busy statement's comments, published; return how many.

    Built as ``post_comment`` builds them, but stored published at once:
    posted one by one as pending, each would queue a mail to the moderators
    (ten seconds of queries for the demo), and be approved after.
    """
    statement = Statement.objects.filter(slug=BUSY_STATEMENT, language="en").first()
    if statement is None:
        return 0
    thread = None
    stored = []
    with transaction.atomic():
        for number in range(BUSY_COMMENTS):
            author, body = busy_comment(number)
            reply = number % 4 == 3
            comment = services.build_comment(
                statement=statement,
                parent=thread if reply else None,
                draft=services.Draft(author_name=author, body=body),
                user=None,
            )
            comment.status = Comment.Status.PUBLISHED
            comment.fingerprint = f"demo-{author}"
            comment.save()
            comment.thread = thread if reply else comment
            prefix = f"{thread.path}/" if reply else ""
            comment.path = prefix + path_segment(comment.pk)
            Comment.objects.filter(pk=comment.pk).update(
                thread=comment.thread, path=comment.path
            )
            stored.append(comment)
            if not reply:
                thread = comment
        comment_text_saved.send(sender=Comment, comments=stored)
    return len(stored)


def load_demo_comments() -> int:
    """Post the demo comments onto the demo statements, once. Returns how many."""
    if Comment.objects.exists():
        return 0
    posted: dict[str, Comment] = {}
    authors: set[str] = set()
    for slug, key, parent_key, author, body, published in DEMO_COMMENTS:
        language, _colon, family = slug.rpartition(":")
        statement = Statement.objects.filter(
            family=family, language=language or "en"
        ).first()
        if statement is None:
            continue
        comment = services.post_comment(
            statement=statement,
            parent=posted.get(parent_key),
            draft=services.Draft(author_name=author, body=body),
            user=None,
            fingerprint=f"demo-{author}",
            screened=False,
        )
        status = Comment.Status.PUBLISHED if published else Comment.Status.PENDING
        # Held as the site would hold it: every comment waits, and say when
        # it was the author's first.
        held = [] if published else [holds.APPROVAL]
        if held and author not in authors:
            held.append(holds.FIRST_COMMENT)
        authors.add(author)
        Comment.objects.filter(pk=comment.pk).update(status=status, held_because=held)
        comment.status = status
        posted[key] = comment
    return len(posted) + _load_busy_statement()

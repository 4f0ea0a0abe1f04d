"""Demo comments for `communique demo`: a few threads on the demo statements."""

from communique.comments import holds, services
from communique.comments.models import Comment
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
    return len(posted)

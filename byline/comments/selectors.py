"""Reads for the COMMENTS section. (The comments app is being built; see issue "Reader comments".)"""

from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class CommentSection:
    open: bool
    total: int = 0
    threads: list = field(default_factory=list)


def comment_section_for_article(*, article, request: HttpRequest) -> CommentSection:
    return CommentSection(open=article.comments_open)

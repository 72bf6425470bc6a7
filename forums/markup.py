"""Members write Markdown; what reaches a page is sanitised HTML in which nothing can run.

markdown-it-py renders (raw HTML off, bare links linkified), a core rule turns @handles of real
members into profile links, and nh3 then keeps only an allow-list of tags, attributes and URL
schemes, so even a bug in rendering cannot let script through.
"""

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

MENTION = re.compile(r"(?<![\w@/])@([\w.+-]{1,150}[\w+-]|\w)")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "a",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "ol": {"start"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
}


@dataclass(frozen=True)
class Rendered:
    html: str
    mentions: list[str]  # handles mentioned, in order, each once
    links: int  # links to other sites
    unresolved: list[str] = ()  # @words in the text that are no member's handle, in order, each once


def mention_handles(body: str) -> set[str]:
    """Every @word in a body, before we know which are members."""
    return {match.lower() for match in MENTION.findall(body)}


def _mention_rule(state) -> None:
    """Split text tokens so that @handle of a known member becomes a link to their profile."""
    known: dict[str, str] = state.env.get("members", {})
    found: list[str] = state.env.setdefault("mentioned", [])
    unknown: list[str] = state.env.setdefault("unresolved", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in MENTION.finditer(token.content):
                handle = known.get(match.group(1).lower())
                if handle is None:
                    if match.group(1) not in unknown:
                        unknown.append(match.group(1))  # the author meant someone: tell them nobody was found
                    continue
                children.append(_text(token.content[position : match.start()]))
                link = Token("link_open", "a", 1, attrs={"href": f"/members/{handle}/", "class": "mention"})
                children += [link, _text(f"@{handle}"), Token("link_close", "a", -1)]
                position = match.end()
                if handle not in found:
                    found.append(handle)
            children.append(_text(token.content[position:]))
        block.children = [child for child in children if child.type != "text" or child.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _image_as_link(renderer, tokens, idx, options, env) -> str:
    # A post does not load images from anywhere on the web (tracking pixels, huge files): it links them.
    token = tokens[idx]
    label = renderer.renderInlineAsText(token.children or [], options, env) or token.attrGet("src")
    return f'<a href="{escapeHtml(token.attrGet("src") or "")}">{escapeHtml(label)}</a>'


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["linkify", "strikethrough", "table"])
_markdown.add_render_rule("image", _image_as_link)
_markdown.core.ruler.push("mentions", _mention_rule)


def render(body: str, *, members: dict[str, str] | None = None) -> Rendered:
    """Render `body`; `members` maps lower-cased handles to handles of the members who may be mentioned."""
    env = {"members": members or {}}
    html = _markdown.render(body, env)
    links = 0

    def count_links(element: str, attribute: str, value: str) -> str | None:
        nonlocal links
        if element == "a" and attribute == "href" and not value.startswith("/"):
            links += 1
        return value

    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
        filter_style_properties={"text-align"},
        attribute_filter=count_links,
    )
    return Rendered(
        html=clean, mentions=env.get("mentioned", []), links=links, unresolved=env.get("unresolved", [])
    )

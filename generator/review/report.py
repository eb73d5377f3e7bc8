"""The small helpers of the review reports (`diff`'s change summary, `overnemen`'s review report):
Markdown escaping, deleted and inserted words in Markdown and HTML, and one HTML page with its style."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_~\[\]|<>#])")

CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
       "del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none;font-weight:bold}"
       ".words{color:#333;margin:.2em 0 .6em 1.5em}.detail{margin-left:1.5em;color:#555}h3{margin-top:1.2em}")


def md_escape(text: str) -> str:
    """Text that Markdown shows as it is (no emphasis, links or headings)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_words(op: str, text: str) -> str:
    """A run of a word diff in Markdown: deleted ~~struck~~, inserted **bold** (a style for `render_words`)."""
    if op == "-":
        return f"~~{md_escape(text)}~~"
    if op == "+":
        return f"**{md_escape(text)}**"
    return md_escape(text)


def html_words(op: str, text: str) -> str:
    """A run of a word diff in HTML: <del> and <ins> (a style for `render_words`)."""
    if op == "-":
        return f"<del>{html.escape(text)}</del>"
    if op == "+":
        return f"<ins>{html.escape(text)}</ins>"
    return html.escape(text)


def html_page(title: str, body: list[str]) -> str:
    """A small accessible HTML page (Dutch) with `title` as its title and first heading."""
    return "\n".join(["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
                      f"<title>{html.escape(title)}</title>", f"<style>{CSS}</style></head><body>",
                      f"<h1>{html.escape(title)}</h1>", *body, "</body></html>"]) + "\n"

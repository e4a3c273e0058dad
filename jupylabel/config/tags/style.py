"""``<Style>``: CSS a Label Studio config adds to its page. Kept, never applied.

Label Studio puts the text into the page as a ``<style>`` element. jupylabel draws inside a
notebook (and the team server's page), where a config's CSS could cover or restyle everything
around the widget, fetch addresses (``url()``, ``@import``) and hide what is being labeled, so
the tag is known (a config using it opens without a note) and its text stays in the config, but
nothing of it reaches the page. The ``className`` of a ``<View>`` it would style is kept too.
"""

from __future__ import annotations

from .base import Tag


class Style(Tag):
    TAG = "Style"
    KIND = "visual"

    @property
    def css(self) -> str:
        """The stylesheet as the config gives it (never applied)."""
        return self.text or ""

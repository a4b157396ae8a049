"""`{% cache %}` that renders its content when the cache cannot be reached.

Django's tag lets a cache outage fail the page; Askwell's caches are an aid
(see askwell/core/caching.py: the site is slower, not broken, without them).
Load it instead of Django's: `{% load resilient_cache %}`, then `{% cache %}`
as usual.
"""

from __future__ import annotations

import logging

from django import template
from django.template import Context
from django.templatetags import cache as django_cache

logger = logging.getLogger(__name__)
register = template.Library()


class ResilientCacheNode(django_cache.CacheNode):
    def render(self, context: Context) -> str:
        try:
            return super().render(context)
        except Exception:
            # A failing template raises again below; a failing cache logs once.
            logger.exception("The fragment cache is unreachable; rendering uncached")
            return self.nodelist.render(context)


@register.tag("cache")
def do_cache(
    parser: template.base.Parser, token: template.base.Token
) -> django_cache.CacheNode:
    node = django_cache.do_cache(parser, token)
    node.__class__ = ResilientCacheNode
    return node

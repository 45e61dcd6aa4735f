"""RSS 2.0 and Atom feeds of the news index (`…/tin-tuc/rss/`, `…/tin-tuc/atom/`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .selectors import news_feed_items


class NewsRssFeed(Feed):
    def __init__(self, *, index):
        super().__init__()
        self.index = index

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index.title

    def link(self):
        return self.index.get_url(self.request)

    def description(self):
        return self.index.intro or self.index.title

    def items(self):
        return news_feed_items(index=self.index)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(7, 0)))

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

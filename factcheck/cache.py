"""The shared cache: Django's built-in Redis backend that never fails a page.

Public pages and share images are kept in the cache (docs/architecture.md, "Public pages and
the cache"); the cache only saves work. When Redis is down, slow or refuses, a read is a
miss and a write is dropped, each logged: the page is drawn, never a 500. After a failure
the cache is left alone for ``RETRY_AFTER`` seconds, so a cache that is gone costs one
connection attempt per process every few seconds, not one per request.
"""

import logging
import time

import redis  # noqa: F401  (Django imports it on the first read; a worker, when it starts)
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("factcheck.cache")

RETRY_AFTER = 5.0  # seconds without trying the cache after it failed


class ForgivingRedisCache(RedisCache):
    """``RedisCache`` whose reads and writes answer as a miss when Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _guarded(self, operation: str, call, fallback):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except Exception as error:  # redis.RedisError, OSError: any failure is a miss
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Cache %s failed, pages are drawn meanwhile: %r", operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        parent = super().get
        return self._guarded("get", lambda: parent(key, default, version), default)

    def get_many(self, keys, version=None):
        parent = super().get_many
        return self._guarded("get_many", lambda: parent(keys, version), {})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super().set
        self._guarded("set", lambda: parent(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super().set_many
        return self._guarded("set_many", lambda: parent(data, timeout, version), list(data))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super().add
        return self._guarded("add", lambda: parent(key, value, timeout, version), False)

    def delete(self, key, version=None):
        parent = super().delete
        return self._guarded("delete", lambda: parent(key, version), False)

    def clear(self):
        return self._guarded("clear", super().clear, False)

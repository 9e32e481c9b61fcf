"""Django's Redis cache, keeping one Redis client per connection pool.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache call, and each one
copies redis-py's table of about 170 response callbacks into a fresh case-insensitive dict.
With the sessions read from Redis that is on every signed-in page (measured on the password
form: about 0.15 ms of a 4 ms request). A client is only a handle on its pool: keeping it
changes nothing in what is stored or where (Redis, shared by every process); the connections
were already the pool's.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _ClientPerPool(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool

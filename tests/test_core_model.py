"""Post's effective labels: a reviewer's correction wins over what the model found."""

from datetime import UTC, datetime

from core import Post
from core.model import PlaceRef, Review

T = datetime(2026, 11, 6, 2, 30, tzinfo=UTC)


def _post(**review) -> Post:
    return Post.new("weibo", "1", text="锦绣家园门口垃圾没人管", published_at=T,
                    places=[PlaceRef(id="changzhonglu", name="场中路"), PlaceRef(name="锦绣家园", key="raw:锦绣家园")],
                    review=Review(**review))


def test_place_keys_hold_resolved_ids_and_unlisted_keys():
    assert _post().effective_place_keys == ["changzhonglu", "raw:锦绣家园"]


def test_a_reviewers_place_list_replaces_unlisted_places_too():
    assert _post(place_ids=["qilianshanlu"]).effective_place_keys == ["qilianshanlu"]
    assert _post(place_ids=[]).effective_place_keys == []

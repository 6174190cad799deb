"""Installing and migrating the Elasticsearch indices described in ``index_mappings/``.

Names, for prefix ``P``:

* posts: template ``P-posts-v<N>`` for monthly indices ``P-posts-v<N>-YYYY.MM``, all behind ``P-posts``;
* cases, outbox, sources: one index ``P-<kind>-v<N>`` behind the alias ``P-<kind>``.

``install()`` is idempotent. When a mapping file's ``version`` goes up, the
new versioned indices are created, documents are copied over client-side
(scan + bulk: the minimal distribution has no ``_reindex``) and the alias is
moved in one atomic step; the old indices are left in place, out of the alias,
for the operator to drop.

Posts migrate one month at a time: the target month is created first (so an
empty month migrates too) and kept out of the read alias until its copy is
complete, then swapped in. A stop half-way leaves every month either migrated
(new index behind the alias) or not (old index behind the alias, maybe a partial
copy outside it); running ``install()`` again continues with the months left,
copying with ``create`` so documents already copied are kept, not duplicated.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers

from core import SHANGHAI, utcnow
from index_mappings import KINDS, load_mapping

DocBuilder = Callable[[dict[str, Any]], dict[str, Any]]


#: replica settings: kept out of the fingerprint and set on existing indices in place (they are dynamic)
REPLICA_KEYS = ("auto_expand_replicas", "number_of_replicas")


def _fingerprint(definition: dict[str, Any], *, legacy: bool = False) -> str:
    """A digest of a mapping file's settings and mappings, replica settings left out. ``legacy``: as written
    by the files before ``auto_expand_replicas`` (they said ``number_of_replicas: 0``), to recognise indices
    installed from them."""
    settings = {k: v for k, v in definition["settings"].items() if k not in REPLICA_KEYS}
    if legacy:
        settings["number_of_replicas"] = 0
    body = {"settings": settings, "mappings": definition["mappings"]}
    return hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]


def _at_old_default(settings: dict[str, Any]) -> bool:
    """An index still at the old replica default: no replica and no auto-expansion (not set by hand)."""
    return str(settings.get("auto_expand_replicas", "false")) == "false" and str(
        settings.get("number_of_replicas", "0")) == "0"


class IndexAdmin:
    """Creates, checks and migrates the indices for one prefix."""

    def __init__(self, es: Elasticsearch, prefix: str, progress: Callable[[str], None] | None = None) -> None:
        self.es = es
        self.prefix = prefix
        self.progress = progress or (lambda line: None)  # long copies report here (the CLI prints them)
        self._months: set[str] = set()  # posts months known to exist with a started primary

    def alias(self, kind: str) -> str:
        """The alias every read (and single-index write) goes through."""
        return f"{self.prefix}-{kind}"

    def concrete(self, kind: str, version: int) -> str:
        """The concrete index of a single-index kind at a mapping version."""
        return f"{self.prefix}-{kind}-v{version}"

    def _body(self, kind: str) -> tuple[int, dict[str, Any], dict[str, Any]]:
        d = load_mapping(kind)
        mappings = {**d["mappings"], "_meta": {"yuqing_kind": kind, "version": d["version"],
                                               "fingerprint": _fingerprint(d)}}
        return d["version"], d["settings"], mappings

    def _legacy_fingerprint(self, kind: str) -> str:
        return _fingerprint(load_mapping(kind), legacy=True)

    def ensure_months(self, indices: set[str]) -> None:
        """Create these posts months (from the template) if missing and wait until their primaries have started.

        Writers call it before their bulk requests, so no search over the alias meets a month another
        request is still creating (its primary not yet started: a failed shard, not an empty one). The months of
        every copy in a batch are made, also of a stored post that keeps an older month: an empty month costs
        a shard. Months made are remembered; :meth:`forget_months` drops one a read finds starting again."""
        new = sorted(indices - self._months)
        if not new:
            return
        for index in new:
            try:
                self.es.indices.create(index=index)  # waits for the primary by default
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":  # another writer made it: fine
                    raise
        health = self.es.options(ignore_status=408).cluster.health(index=",".join(new), wait_for_status="yellow",
                                                                   timeout="10s")
        if health.get("status") in ("yellow", "green") and not health.get("timed_out"):
            self._months.update(new)  # else the next write checks again (the read's own waits still apply)

    def forget_months(self, indices: set[str]) -> None:
        """Months a read found starting (deleted and made again, e.g. by retention): check them again next time."""
        self._months.difference_update(indices)

    def _replicas(self, indices: list[str], settings: dict[str, Any]) -> list[str]:
        """Give indices still at the old replica default (0, no auto-expansion) the mapping file's replica
        settings; an index whose replicas someone set by hand is left as it is."""
        want = {f"index.{k}": v for k, v in settings.items() if k in REPLICA_KEYS}
        if not want or not indices:
            return []
        got = self.es.indices.get_settings(index=",".join(indices),
                                           name="index.auto_expand_replicas,index.number_of_replicas")
        stale = [i for i in indices if _at_old_default(got.get(i, {}).get("settings", {}).get("index", {}))]
        if not stale:
            return []
        self.es.indices.put_settings(index=",".join(stale), settings=want)
        said = ", ".join(f"{k} {v}" for k, v in want.items())
        return [f"set {said} on {i} (a replica once the cluster has a second node)" for i in stale]

    def install(self, rebuild_post: DocBuilder | None = None, now: datetime | None = None) -> list[str]:
        """Create what is missing and migrate what is older; return one line per action (empty: no-op).

        ``now`` (default: the wall clock) picks the month whose posts index is created up front.
        """
        done: list[str] = []
        done += self._install_posts(rebuild_post, now or utcnow())
        for kind in KINDS:
            if kind != "posts":
                done += self._install_single(kind)
        return done

    # ---- posts ------------------------------------------------------------
    def _install_posts(self, rebuild: DocBuilder | None, now: datetime) -> list[str]:
        done: list[str] = []
        version, settings, mappings = self._body("posts")
        name = f"{self.prefix}-posts-v{version}"
        current = None
        try:
            tpl = self.es.indices.get_index_template(name=name)["index_templates"]
            current = tpl[0]["index_template"]["template"].get("mappings", {}).get("_meta", {})
        except NotFoundError:
            pass
        if current is None or current.get("fingerprint") != mappings["_meta"]["fingerprint"]:
            put = True
            replicas_only = current is not None and current.get("fingerprint") == self._legacy_fingerprint("posts")
            if replicas_only:  # installed before auto_expand_replicas: nothing to re-derive, new _meta only
                self.es.indices.put_mapping(index=f"{name}-*", allow_no_indices=True, _meta=mappings["_meta"])
            elif current is not None:
                try:  # same version, new fields: put them on the existing months (an additive change)
                    self.es.indices.put_mapping(index=f"{name}-*", allow_no_indices=True, **mappings)
                    if rebuild is not None:
                        n = self._rebuild_in_place(f"{name}-*", rebuild)
                        done.append(f"re-derived the indexed fields of {n} posts in {name}-*")
                except BadRequestError as exc:
                    done.append(f"warning: template {name} differs from index_mappings/posts.json in a way "
                                f"existing indices cannot take ({exc.message}); raise 'version' in that file "
                                "to migrate")
                    put = False  # keep the installed template
            if put:
                self.es.indices.put_index_template(
                    name=name, index_patterns=[f"{name}-*"], priority=100,
                    template={"settings": settings, "mappings": mappings, "aliases": {self.alias("posts"): {}}},
                    meta={"yuqing_version": version},
                )
                how = "installed" if current is None else (
                    "updated (replica settings)" if replicas_only else "updated (additive fields)")
                done.append(f"{how} index template {name}")
        pattern = re.compile(rf"^{re.escape(self.prefix)}-posts-v(\d+)-(\d{{4}}\.\d{{2}})$")
        alias = self.alias("posts")
        behind = self.es.indices.get_alias(name=alias) if self.es.indices.exists_alias(name=alias) else {}
        for index in sorted(behind):
            m = pattern.match(index)
            if not m or int(m.group(1)) >= version:
                continue
            target = f"{name}-{m.group(2)}"
            self._create_outside_alias(target, alias)
            copied = self._copy(index, target, rebuild, versioned=False, keep_existing=True)
            self._swap_alias(alias, index, target)
            done.append(f"migrated {index} → {target} ({copied} posts); {index} kept outside the alias")
        month = f"{name}-{now.astimezone(SHANGHAI):%Y.%m}"
        if not self.es.indices.exists(index=month):
            self.es.options(ignore_status=400).indices.create(index=month)
            done.append(f"created index {month}")
        months = self.es.indices.get(index=f"{name}-*", allow_no_indices=True, expand_wildcards="open")
        done += self._replicas(sorted(months), settings)
        return done

    # ---- cases, outbox, sources ---------------------------------------------
    def _install_single(self, kind: str) -> list[str]:
        done: list[str] = []
        version, settings, mappings = self._body(kind)
        target = self.concrete(kind, version)
        alias = self.alias(kind)
        if not self.es.indices.exists(index=target):
            self.es.indices.create(index=target, settings=settings, mappings=mappings)
            done.append(f"created index {target}")
        else:
            meta = self.es.indices.get_mapping(index=target)[target]["mappings"].get("_meta", {})
            if meta.get("fingerprint") == self._legacy_fingerprint(kind):  # before auto_expand_replicas
                self.es.indices.put_mapping(index=target, _meta=mappings["_meta"])
            elif meta.get("fingerprint") != mappings["_meta"]["fingerprint"]:
                done.append(f"warning: {target} differs from index_mappings/{kind}.json but has the same version; "
                            f"raise 'version' in that file to migrate")
        behind = list(self.es.indices.get_alias(name=alias)) if self.es.indices.exists_alias(name=alias) else []
        for old in behind:
            if old == target:
                continue
            copied = self._copy(old, target, None, versioned=True)
            self._swap_alias(alias, old, target)
            done.append(f"migrated {old} → {target} ({copied} documents); {old} kept outside the alias")
        if not behind:
            self.es.indices.put_alias(index=target, name=alias)
            done.append(f"created alias {alias} → {target}")
        done += self._replicas([target], settings)
        return done

    def _create_outside_alias(self, index: str, alias: str) -> None:
        """Create a posts month (from the template) if missing, and take it out of the read alias while it fills."""
        self.es.options(ignore_status=400).indices.create(index=index)  # 400: exists (e.g. a resumed copy)
        if self.es.indices.exists_alias(name=alias, index=index):
            self.es.indices.delete_alias(index=index, name=alias)

    def _swap_alias(self, alias: str, old: str, new: str) -> None:
        self.es.indices.update_aliases(actions=[{"remove": {"index": old, "alias": alias}},
                                                {"add": {"index": new, "alias": alias}}])

    def _rebuild_in_place(self, pattern: str, rebuild: DocBuilder) -> int:
        """Rewrite every document with ``rebuild`` where it is (so fields added to the mapping get indexed).

        Each write is conditional on the sequence number read: a post written meanwhile (already by the
        new code) is left as it is, never overwritten by the older copy.
        """

        def actions():
            for hit in helpers.scan(self.es, index=pattern, query={"query": {"match_all": {}}}, size=500,
                                    seq_no_primary_term=True):
                yield {"_op_type": "index", "_index": hit["_index"], "_id": hit["_id"],
                       "_source": rebuild(hit["_source"]), "if_seq_no": hit["_seq_no"],
                       "if_primary_term": hit["_primary_term"]}

        self.progress(f"re-deriving indexed fields in {pattern} …")
        ok, errors = 0, []
        for success, info in helpers.streaming_bulk(self.es, actions(), raise_on_error=False, chunk_size=500):
            if success or info.get("index", {}).get("status") == 409:  # 409: written meanwhile
                ok += 1
            else:
                errors.append(info)
        if errors:
            raise RuntimeError(f"re-deriving {pattern}: {len(errors)} documents failed, first: {errors[0]}")
        self.es.indices.refresh(index=pattern, allow_no_indices=True)
        return ok

    def _copy(self, source: str, target: str, rebuild: DocBuilder | None, *, versioned: bool,
              keep_existing: bool = False) -> int:
        """Copy every document client-side, keeping ids (and external versions for versioned kinds).

        ``keep_existing``: write with ``create``, so a document already in the target (an earlier,
        interrupted copy, or a newer write) is kept and counted as copied.
        """

        def actions():
            for hit in helpers.scan(self.es, index=source, query={"query": {"match_all": {}}}, size=500):
                doc = rebuild(hit["_source"]) if rebuild else hit["_source"]
                op = "create" if keep_existing else "index"
                action = {"_op_type": op, "_index": target, "_id": hit["_id"], "_source": doc}
                if versioned and isinstance(doc.get("version"), int) and doc["version"] > 0:
                    action.update(version=doc["version"], version_type="external_gte")
                yield action

        total = self.es.count(index=source)["count"]
        self.progress(f"copying {source} → {target}: {total} documents …")
        ok, errors = 0, []
        for done, (success, info) in enumerate(helpers.streaming_bulk(self.es, actions(), raise_on_error=False,
                                                                        chunk_size=500), 1):
            if success or (keep_existing and info.get("create", {}).get("status") == 409):
                ok += 1
            else:
                errors.append(info)
            if done % 5000 == 0:
                self.progress(f"  {done}/{total}")
        if errors:
            raise RuntimeError(f"copying {source} → {target}: {len(errors)} documents failed, first: {errors[0]}")
        self.es.indices.refresh(index=target)
        return ok

"""Generate synthetic datasets (1,000 / 10,000 / 100,000 events) that pass validation.

Actors and issues are the bundled ones; events, sources, stances and tracker snapshots are
synthetic (example.org URLs, "Synthetic" publishers) and say so; about 5% of strikes carry one or two
revisions of their toll (valid per data/history.py), so "as known on" and "what changed" have work to do.
Events are written as JSON, which the loader reads like YAML, because parsing 100,000 YAML records takes minutes.

    python benchmarks/generate.py 1000 10000 100000 [--out benchmarks/data]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "records"
START, END = dt.date(2024, 7, 28), dt.date(2026, 6, 22)
OTHER_CATEGORIES = ["deployment", "statement", "diplomacy", "legal", "legislative", "sanctions", "military_operation"]
THEATERS = ["venezuela", "united_states", "international", "caribbean", "eastern_pacific"]
FATES = ["rescued", "repatriated", "presumed_dead", "unknown"]
REVISED_SHARE = 0.05  # strikes whose toll was revised after the first report (one or two revisions each)


def _actor_ids() -> list[str]:
    import yaml

    return [a["id"] for a in yaml.safe_load((BUNDLED / "actors.yaml").read_text(encoding="utf-8"))]


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange((END - START).days + 1))


def _event(n: int, rng: random.Random, actors: list[str], source_count: int) -> dict[str, object]:
    day = _day(rng)
    reported = min(day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2])), END)
    is_strike = rng.random() < 0.6
    theater = rng.choice(["caribbean", "eastern_pacific"]) if is_strike else rng.choice(THEATERS)
    event: dict[str, object] = {
        "id": f"syn-{n:06d}",
        "date": day.isoformat(),
        "reported": reported.isoformat(),
        "category": "strike" if is_strike else rng.choice(OTHER_CATEGORIES),
        "title": f"Synthetic event {n}",
        "summary": f"Synthetic record {n}, generated for benchmarks; it describes nothing that happened.",
        "actors": rng.sample(actors, k=rng.choice([1, 2])),
        "theater": theater,
        "location": "Synthetic location",
        "milestone": rng.random() < 0.01,
        "sources": [f"syn-src-{(source := rng.randrange(source_count)):05d}"],
    }
    if source % 4 == 3:  # a tier-4 source (see the sources in `generate`) must say why it is enough
        event["weak_sourcing"] = "Synthetic: a tier-4 source alone, generated for benchmarks."
    if rng.random() < 0.5:
        lat, lon = (
            (rng.uniform(10, 17), rng.uniform(-80, -62))
            if theater == "caribbean"
            else (rng.uniform(0, 15), rng.uniform(-110, -80))
        )
        event["coordinates"] = {"lat": round(lat, 3), "lon": round(lon, 3), "precision": "approximate"}
    if is_strike:
        survivors = rng.choice([0, 0, 0, 1, 2])
        fates = [{"count": survivors, "fate": rng.choice(FATES)}] if survivors else []
        killed = rng.randrange(0, 7)
        event["strike"] = {
            "strikes": 1,
            "vessels": rng.choice([1, 1, 1, 2]),
            "killed": killed,
            "survivors": survivors,
            "survivor_fates": fates,
            "announced_by": "Synthetic announcer",
            "announced_on": reported.isoformat(),
            "grade": rng.choice(["official_claim", "corroborated", "disputed"]),
        }
        if killed and rng.random() < REVISED_SHARE and (revisions := _revisions(event, rng, source_count)):
            event["revisions"] = revisions
    return event


def _revisions(event: dict[str, object], rng: random.Random, source_count: int) -> list[dict[str, object]]:
    """One or two revisions of the toll (the first figure was lower), each on its own day after the first report."""
    strike: dict[str, object] = event["strike"]  # type: ignore[assignment]
    killed = int(str(strike["killed"]))
    first = dt.date.fromisoformat(str(event["reported"]))
    if first >= END:
        return []
    known = [min(first + dt.timedelta(days=rng.randrange(1, 40)), END)]
    if killed >= 2 and known[0] < END and rng.random() < 0.5:
        known.append(min(known[0] + dt.timedelta(days=rng.randrange(1, 40)), END))
    values = [killed - len(known) + n for n in range(len(known) + 1)]  # e.g. 3 → 4 → 5, the last is current
    return [
        {
            "known": day.isoformat(),
            "field": "strike.killed",
            "old": values[n],
            "new": values[n + 1],
            "sources": [f"syn-src-{rng.randrange(source_count):05d}"],
            "note": "Synthetic revision of the toll, generated for benchmarks.",
        }
        for n, day in enumerate(known)
    ]


def generate(size: int, out: Path, *, seed: int = 20251125) -> Path:
    rng = random.Random(seed + size)
    target = out / f"events-{size}"
    if target.exists():
        shutil.rmtree(target)
    (target / "events").mkdir(parents=True)
    (target / "sources").mkdir()
    shutil.copy(BUNDLED / "actors.yaml", target / "actors.yaml")
    shutil.copy(BUNDLED / "issues.yaml", target / "issues.yaml")
    actors = _actor_ids()
    source_count = max(50, size // 100)
    sources = [
        {
            "id": f"syn-src-{i:05d}",
            "publisher": "Synthetic Wire",
            "title": f"Synthetic report {i}",
            "url": f"https://example.org/synthetic/{i}",
            "published": _day(rng).isoformat(),
            "kind": "media",
            "tier": 1 + i % 4,
            **({"original_outlet": "Synthetic Agency"} if i % 4 == 1 else {}),
        }
        for i in range(source_count)
    ]
    events = [_event(n, rng, actors, source_count) for n in range(size)]
    issues = ["boat-strikes", "ground-action", "negotiations", "fto-designation", "regime-change"]
    stances = [
        {
            "id": f"syn-stance-{n:04d}",
            "actor": actor,
            "issue": issue,
            "date": (day := _day(rng)).isoformat(),
            "reported": day.isoformat(),
            "position": rng.choice(["support", "oppose", "mixed", "neutral"]),
            "evidence": "Synthetic evidence for benchmarks.",
            "sources": ["syn-src-00000"],
        }
        for n, (actor, issue) in enumerate((a, i) for a in actors[:20] for i in issues)
    ]
    trackers = [
        {
            "id": f"syn-tracker-{n}",
            "tracker": "Synthetic Tracker",
            "as_of": (day := _day(rng)).isoformat(),
            "reported": day.isoformat(),
            "killed": rng.randrange(size),
            "unit": "synthetic",
            "sources": ["syn-src-00001"],
        }
        for n in range(10)
    ]
    (target / "sources" / "synthetic.json").write_text(json.dumps(sources), encoding="utf-8")
    (target / "events" / "synthetic.json").write_text(json.dumps(events), encoding="utf-8")
    (target / "stances.json").write_text(json.dumps(stances), encoding="utf-8")
    (target / "trackers.json").write_text(json.dumps(trackers), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "data")
    args = parser.parse_args()
    for size in args.sizes:
        print(generate(size, args.out))


if __name__ == "__main__":
    main()

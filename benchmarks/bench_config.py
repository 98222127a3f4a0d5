"""Time of reading a config: the sample's, and hostile ones that must fail fast.

Times, best of ``--runs``, :func:`leadkpi.load_config` on

- the sample ``leadkpi.yaml`` (read, checked against the schema, built),
- a config with five typos (every problem found and reported at once),
- a "billion laughs" alias bomb (nine levels of nine aliases: 387 million strings
  once expanded), a self-referring alias, ``[`` nested 100,000 deep, and a file just
  over the size bound, each of which must be refused in well under a second,
- the largest config accepted: a flat file just under the size bound.

Run on demand, not by pytest::

    python benchmarks/bench_config.py
    python benchmarks/bench_config.py --runs 5
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import best  # noqa: E402

from leadkpi.config import load_config  # noqa: E402
from leadkpi.config_yaml import MAX_BYTES  # noqa: E402
from leadkpi.exceptions import ConfigError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

BOMB = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
)
TYPOS = "timezon: Europe/Madrid\ncurency: EUR\ncurrency: EURO\nlocale: xx_YY\n"
TYPOS += "targts:\n  leads: 300\n"


def _flat(size: int) -> str:
    """Channel rules filling about ``size`` bytes: a long config that is valid."""
    rule = "  - {{utm_campaign: '^c{i:06d}$', channel: paid_search}}\n"
    count = (size - 20) // len(rule.format(i=0))
    return "channel_rules:\n" + "".join(rule.format(i=i) for i in range(count))


def _load(path: Path) -> str:
    try:
        load_config(path)
    except ConfigError as exc:
        return "refused: " + str(exc).splitlines()[0].split(": ", 1)[1][:60]
    return "loaded"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = {
        "typos (5 problems)": TYPOS,
        "billion laughs": BOMB,
        "alias loop": "name: &a [*a]\n",
        "[ nested 100,000 deep": "name: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "file over the size bound": "name: x\n" + "#" * MAX_BYTES + "\n",
        f"valid, {MAX_BYTES // 1024 - 6} KiB of rules": _flat(MAX_BYTES - 6 * 1024),
    }
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'config':34} {'best s':>8}  outcome")
        seconds, outcome = best(lambda: _load(ROOT / "leadkpi.yaml"), args.runs)
        print(f"{'sample leadkpi.yaml':34} {seconds:8.4f}  {outcome}")
        for name, text in cases.items():
            path = Path(folder) / "leadkpi.yaml"
            path.write_text(text, encoding="utf-8")
            seconds, outcome = best(lambda p=path: _load(p), args.runs)
            print(f"{name:34} {seconds:8.4f}  {outcome}")


if __name__ == "__main__":
    main()

"""Lessons across runs, measured: each scenario twice, with an empty memory and then with
the lessons the first run left behind; prints the revisions each run needed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TAVILY_API_KEY"):
    os.environ.pop(key, None)

from genai_planner.core.scenario import load_scenario  # noqa: E402
from genai_planner.core.settings import RunOptions  # noqa: E402
from genai_planner.run.runner import run_planning  # noqa: E402


async def main() -> None:
    print("scenario                        empty-memory revisions   with-lessons revisions")
    total = [0, 0]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        out = Path(tempfile.mkdtemp(prefix="bench-memory-"))
        revisions = []
        for _ in range(2):
            result = await run_planning(load_scenario(path), RunOptions(output_dir=out))
            revisions.append(sum(d["revisions"] for d in result.manifest["documents"]))
        total[0] += revisions[0]
        total[1] += revisions[1]
        print(f"{path.stem:32s}{revisions[0]:>10d}{revisions[1]:>24d}")
    print(f"{'total':32s}{total[0]:>10d}{total[1]:>24d}")
    verdict = "MET" if total[1] < total[0] else "MISSED"
    print(f"lessons {'reduced' if verdict == 'MET' else 'did not reduce'} revisions: {total[0]} -> {total[1]} ({verdict})")


if __name__ == "__main__":
    asyncio.run(main())

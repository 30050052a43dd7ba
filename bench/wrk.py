"""Drive wrk (Debian's `wrk`) and read what it measured.

Each run gets a generated Lua script: the session cookie and headers, the paths to
cycle through (GET), or a body per request (POST: a card move carries the card's
version, read back from each answer; a progress update its milestone's fields), and
a `done()` that prints one line this module parses:

    BENCH requests=812 duration_us=3001234 p50=3310 p95=4120 p99=5230 max=9120
          non2xx=0 socket_errors=0 ok=812 bad=0

Latencies are in microseconds. Every run uses one connection per wrk thread, so a POST
run can give each connection its own card or milestone.
"""

import json
import re
import subprocess
from dataclasses import asdict, dataclass

LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)
PAIR = re.compile(r"(\w+)=(-?\d+(?:\.\d+)?)")

COMMON = """
local threads = {}
local counter = 0
ok, bad = 0, 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function done(summary, latency, requests)
  local good, wrong = 0, 0
  for _, thread in ipairs(threads) do
    good = good + (thread:get("ok") or 0)
    wrong = wrong + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d " ..
    "non2xx=%d socket_errors=%d ok=%d bad=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    good, wrong))
end
"""

GET = """
local paths = {paths}
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter - 1) % #paths + 1])
end
"""

# One card per connection (thread), reordered within its column at positions `first`
# and `first` + 1 in turn (the caller spreads them, so connections do not share
# neighbours: a move between neighbours that just moved is a 409, as it should be); the
# next request sends the version the answer showed (data-version on the card).
MOVE = """
local cards = {cards}
local card
function init(args)
  card = cards[(tid - 1) % #cards + 1]
end
function request()
  counter = counter + 1
  local body = string.format("stage=%s&from_stage=%s&position=%d&version=%d&reason=",
    card.stage, card.stage, card.first + counter % 2, card.version)
  return wrk.format("POST", card.path, nil, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
  local version = body:match('id="card%-' .. card.id .. '"[^>]-data%-version="(%d+)"')
  if version then card.version = tonumber(version) end
end
"""

# One milestone per connection; progress cycles 10..90 (never done), with a note.
PROGRESS = """
local milestones = {milestones}
local milestone
function init(args)
  milestone = milestones[(tid - 1) % #milestones + 1]
end
function request()
  counter = counter + 1
  local body = string.format("m%d-progress=%d&m%d-note=bench+%d&mode=mine",
    milestone.id, (counter % 9 + 1) * 10, milestone.id, counter)
  return wrk.format("POST", milestone.path, nil, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int  # wrk's count of answers outside 2xx/3xx
    socket_errors: int
    bad: int  # POST answers outside 2xx (counted by the script)

    @property
    def failed(self) -> int:
        return self.non2xx + self.socket_errors + self.bad

    def as_dict(self) -> dict:
        return asdict(self)


def parse(output: str) -> Result:
    """The numbers of the script's BENCH line in wrk's output; ValueError without one."""
    match = LINE.search(output)
    if not match:
        raise ValueError(f"no BENCH line in wrk's output:\n{output[-2000:]}")
    values = {k: float(v) for k, v in PAIR.findall(match.group(1))}
    seconds = values["duration_us"] / 1e6
    return Result(
        requests=int(values["requests"]),
        seconds=seconds,
        rps=values["requests"] / seconds if seconds else 0.0,
        p50_ms=values["p50"] / 1000,
        p95_ms=values["p95"] / 1000,
        p99_ms=values["p99"] / 1000,
        max_ms=values["max"] / 1000,
        non2xx=int(values["non2xx"]),
        socket_errors=int(values["socket_errors"]),
        bad=int(values.get("bad", 0)),
    )


def _lua(value) -> str:
    """A Python value as a Lua literal (lists, dicts of str/int)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a JSON string is a valid Lua string here (ASCII)


def script(headers: dict, *, paths=None, cards=None, milestones=None) -> str:
    """The Lua script for one run: GET `paths` in turn, or move `cards`, or record progress
    on `milestones` (each a dict with id, path and, for cards, stage and version)."""
    lines = [f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()]
    if paths is not None:
        body = GET.replace("{paths}", _lua(list(paths)))
    elif cards is not None:
        lines.append('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
        body = MOVE.replace("{cards}", _lua(list(cards)))
    else:
        lines.append('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
        body = PROGRESS.replace("{milestones}", _lua(list(milestones)))
    return "\n".join(lines) + "\n" + COMMON + body


def run(
    base_url: str, script_path: str, *, connections: int, seconds: float, timeout: int = 30
) -> Result:
    """wrk with `connections` connections (one thread each) for `seconds`."""
    command = [
        "wrk",
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={timeout}s",
        f"--script={script_path}",
        base_url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    return parse(done.stdout)

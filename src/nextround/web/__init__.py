"""`nextround web`: the same journey as a local page in the browser.

A view like `nextround.cli`: it parses a request, calls the same functions the command line calls (scenario
lookup, `session.Rehearsal`, `report`, `plan`, `scenario.author`) and renders JSON, server-sent events or the
page. Loopback only by default, a random token on every request (`security`), nothing loaded from outside the
machine. Starlette and uvicorn are imported only here and by `nextround web`.
"""

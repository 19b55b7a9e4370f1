# fastapi_app.py - the FastAPI peer of corral's /healthz in `make bench`:
# the same route and body, run by uvicorn with one worker (bench/run.sh).
from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}

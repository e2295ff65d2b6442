# `GET /users/me` the way FastAPI's own tutorials write it ("SQL (Relational) Databases" and
# "OAuth2 with Password, Bearer with JWT tokens"): a SQLAlchemy session per request from a
# `get_db` dependency, `OAuth2PasswordBearer`, PyJWT's `jwt.decode`, one query for the user, and a
# Pydantic response model in orm_mode. The only departure: the token is one of Portcullis's
# (ES256 by default), checked with the key of its JWKS, so that both services verify the same
# token. Started by bench.mjs under uvicorn with one worker, for scenario 1's comparison row;
# Debian's packages: python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2
# python3-jwt python3-uvloop python3-httptools. Settings from the environment:
#   DATABASE_URL     a SQLAlchemy URL (postgresql+psycopg2://…); the table is created at start
#   BASELINE_CONFIG  bench.mjs's JSON file: { algorithm, secret?, issuer, audience, jwksBody }
import json
import os
from datetime import datetime
from typing import List, Optional

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from sqlalchemy import ARRAY, Boolean, Column, DateTime, String, create_engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

config = json.load(open(os.environ["BASELINE_CONFIG"]))
ALGORITHM = config["algorithm"]
if ALGORITHM == "HS256":
    KEY = config["secret"]
else:
    KEY = jwt.PyJWK(json.loads(config["jwksBody"])["keys"][0]).key

engine = create_engine(os.environ["DATABASE_URL"])
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)
Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(String, primary_key=True, index=True)
    tenant_id = Column(String)
    email = Column(String, unique=True, index=True)
    name = Column(String, nullable=True)
    roles = Column(ARRAY(String))
    active = Column(Boolean, default=True)
    created_at = Column(DateTime(timezone=True))
    last_login_at = Column(DateTime(timezone=True), nullable=True)


Base.metadata.create_all(bind=engine)


class UserOut(BaseModel):
    id: str
    tenant_id: str
    email: str
    name: Optional[str]
    roles: List[str]
    active: bool
    created_at: datetime
    last_login_at: Optional[datetime]

    class Config:
        orm_mode = True


app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def get_current_user(token: str = Depends(oauth2_scheme), db: Session = Depends(get_db)):
    credentials_exception = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(token, KEY, algorithms=[ALGORITHM], audience=config["audience"], issuer=config["issuer"])
        user_id = payload.get("sub")
        if user_id is None:
            raise credentials_exception
    except jwt.InvalidTokenError:
        raise credentials_exception
    user = db.query(User).filter(User.id == user_id).first()
    if user is None:
        raise credentials_exception
    return user


@app.get("/users/me", response_model=UserOut)
def read_users_me(current_user: User = Depends(get_current_user)):
    return current_user


@app.get("/health")
def health():
    return {"status": "ok"}

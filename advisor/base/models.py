"""The base every boundary model derives from: immutable, and strict about unknown fields."""

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """A pydantic model that is frozen and refuses fields it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid")

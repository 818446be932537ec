"""The base every boundary model derives from: immutable, and strict about unknown fields."""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """A pydantic model that is frozen and refuses fields it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def texts_of(model: BaseModel) -> Iterator[str]:
    """Every string a model holds, however deep in its lists and mappings: what a document
    sets in type, or what a page shows of a file's contents."""

    def walk(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from walk(item)

    yield from walk(model.model_dump(mode="json"))

"""Base for our trainable graph components whose trained state is one JSON document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Self

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class JsonStateComponent(GraphComponent):
    """Keeps its trained state in ``FILE`` (JSON) inside its model resource.

    Subclasses set ``FILE``, turn the loaded JSON into attributes in :meth:`restore`, and
    call :meth:`persist` at the end of ``train``.
    """

    FILE: ClassVar[str]

    def __init__(self, model_storage: ModelStorage, resource: Resource, state: Any = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.restore(state)

    def restore(self, state: Any) -> None:
        """Set the attributes from a JSON state (``None`` before training)."""
        raise NotImplementedError

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        with model_storage.read_from(resource) as directory:
            state = json.loads((Path(directory) / cls.FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, state)

    def persist(self, state: Any) -> Resource:
        """Write ``state`` as the trained model of this component; returns the resource."""
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / self.FILE).write_text(
                json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8"
            )
        return self._resource

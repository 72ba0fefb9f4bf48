"""Base for our trainable graph components whose trained state is one file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Self

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class PersistedStateComponent(GraphComponent):
    """Keeps its trained state in ``FILE`` inside its model resource (JSON by default).

    Subclasses set ``FILE``, turn the loaded state into attributes in :meth:`restore`, and
    call :meth:`persist` at the end of ``train``. A state that is not JSON overrides
    :meth:`read_state` and :meth:`write_state`. ``self.config`` is the component's default
    config updated with the pipeline's.
    """

    FILE: ClassVar[str]

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        state: Any = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.config = {**self.get_default_config(), **(config or {})}
        self.restore(state)

    def restore(self, state: Any) -> None:
        """Set the attributes from a loaded state (``None`` before training)."""
        raise NotImplementedError

    @staticmethod
    def read_state(path: Path) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))

    @staticmethod
    def write_state(path: Path, state: Any) -> None:
        path.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(model_storage, resource, config=config)

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
            state = cls.read_state(Path(directory) / cls.FILE)
        return cls(model_storage, resource, state, config)

    def persist(self, state: Any) -> Resource:
        """Write ``state`` as the trained model of this component; returns the resource."""
        with self._model_storage.write_to(self._resource) as directory:
            self.write_state(Path(directory) / self.FILE, state)
        return self._resource

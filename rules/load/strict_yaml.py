"""Read YAML strictly: a repeated key or an impossible date is an error, never a silent guess.

PyYAML keeps the last copy of a repeated key without a word, so a second ``doubtful:``
block could change a verdict while every check says OK; and an impossible date such as
2026-02-30 escapes as a bare ValueError. Here both are YAML errors that carry the line and
column, which the loader reports with the file. libyaml's parser is used where it is
installed (about ten times faster than the pure-Python one); the checks are the same.
"""

from __future__ import annotations

import typing as t

import yaml
from yaml.constructor import ConstructorError

_Base: t.Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc]
    """A safe loader that refuses repeated keys and impossible dates."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[t.Any, t.Any]:
        seen: dict[t.Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"'{key}' appears twice (first on line {first}); PyYAML would keep only the last",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return t.cast(dict[t.Any, t.Any], super().construct_mapping(node, deep=deep))

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> t.Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise ConstructorError(None, None, f"{node.value} is not a real date ({exc})", node.start_mark) from exc


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)
StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)


def load(stream: t.Any) -> t.Any:
    """Parse one YAML document strictly (see the module docstring)."""
    return yaml.load(stream, Loader=StrictLoader)  # noqa: S506  # nosec B506  # StrictLoader subclasses SafeLoader

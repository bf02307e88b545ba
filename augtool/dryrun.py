"""``--dry-run``: what a run would read and write, found by reading the inputs; nothing is written."""

from __future__ import annotations

from augtool.formats import detect, output_spec
from augtool.inputs import STDIO, check_inputs, display, expand_inputs, iter_lines
from augtool.names import Layout
from augtool.parallel import PipelineSpec
from augtool.runner import output_kind
from augtool.slicing import Slice


def dry_run(
    inputs: list[str],
    output: str,
    spec: PipelineSpec,
    *,
    shard_size: int = 100_000,
    compress: str | None = None,
    part: Slice = Slice(),  # noqa: B008 - frozen dataclass
    input_format: str | None = None,
    output_format: str | None = None,
    limit: int | None = None,
    copies_per_record: int | None = None,
) -> list[str]:
    """What ``run`` would read and write, as lines for the user; reads the inputs, writes nothing.

    ``copies_per_record`` is the most copies a record gets (``--n-aug``, or None
    when a plan decides, as balance's does).
    """
    inputs = expand_inputs(inputs)
    kind = output_kind(output)
    check_inputs(inputs)
    spec.build()
    out = output_spec(inputs, input_format, output, kind, output_format, spec.options.provenance_key)
    lines = []
    total = 0
    for path in inputs:
        found = detect(path, input_format)
        if path == STDIO:
            lines.append(f"read: {display(path)} ({found}): not counted, a stream is read once")
            continue
        count = 0
        for _ in iter_lines(path, input_format):
            if limit is not None and total + count >= limit:
                break
            count += 1
        total += count
        lines.append(f"read: {path} ({found}): {count:,} records" + (" (--limit)" if limit is not None else ""))
    if part.count > 1:
        lines.append(f"slice {part.index} of {part.count}: about {total // part.count:,} of these records")
        total //= part.count
    keep = spec.options.keep_original
    if copies_per_record is not None:
        most = total * copies_per_record
        lines.append(f"records: {total:,} in; at most {most:,} copies ({copies_per_record} each)"
                     + (f" + {total:,} originals" if keep else "") + f" = at most {most + total * keep:,} out")
        written = most + total * keep
    else:
        written = None
    if kind == "stdout":
        lines.append("write: stdout (JSONL)")
    elif kind == "file":
        lines.append(f"write: one {out.format} file {output}, complete or absent")
    else:
        layout = Layout(part.tag, compress, out.format)
        shards = "" if written is None else f", at most {max(1, -(-written // shard_size)):,} of them"
        lines.append(f"write: {output}: shards {layout.shard(0)}, … of up to {shard_size:,} records{shards}; "
                     f"then {layout.manifest}")
    lines.append("nothing was written (--dry-run)")
    return lines

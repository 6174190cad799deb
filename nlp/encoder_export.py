"""Packing fine-tuned encoders as ONNX (needs the ``train`` extra: torch, onnx): :func:`export` writes the
members' mean as one int8 graph, :func:`quantize_per_row` gives each token its own activation range,
:func:`last_layer_on_cls` drops the last layer's work that the [CLS] head never reads, and :func:`keep_member` cuts
one member out for the ``default`` cascade. Used by :mod:`nlp.encoder_train`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.encoder import tokenizer_path


def export(models: Sequence[Any], out: Path, tokenizer: Path, cls_only: bool = True) -> Path:
    """Write one int8-quantised ONNX graph whose logits are the mean of the models' (so its log-odds are the mean
    of theirs), and the tokenizer beside it; ``cls_only=False`` keeps every row of the last layer (graphs before
    :func:`last_layer_on_cls`)."""
    import tempfile

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Mean(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = torch.nn.ModuleList(models)

        def forward(self, ids, mask):
            return torch.stack([m(ids, mask) for m in self.members]).mean(0)

    model = Mean().eval()
    x = torch.ones(2, 16, dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        torch.onnx.export(model, (x, torch.ones_like(x)), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}})
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    quantize_per_row(out, out)
    if cls_only:
        last_layer_on_cls(out, out)
    shutil.copyfile(tokenizer, tokenizer_path(out))
    return out


#: The top of an activation row's uint8 grid. 127, not 255: onnxruntime's uint8 × int8 product on x86 CPUs
#: without VNNI (AVX2, AVX-512 before VNNI) adds two byte products in a saturating 16-bit sum; with 255 the same
#: graph gave other scores on those CPUs (up to 0.38 in log-odds). Rounding half to even can put a row's top value on
#: 128, and 2 × 128 × 127 = 32,512 and 2 × 128 × (−128) = −32,768 still fit: every CPU computes the exact integer
#: product (docs/nlp.md, "Scores that do not depend on the CPU").
ACTIVATION_LEVELS = 127.0
#: The name of the graph's constant holding :data:`ACTIVATION_LEVELS`.
LEVELS = "pr_levels"


def quantize_per_row(src: Path, dst: Path) -> Path:
    """Rewrite a ``quantize_dynamic`` graph so that activations are quantised per row (per token) instead of
    per tensor.

    ``DynamicQuantizeLinear`` takes one uint8 range over the whole activation tensor, batch and padding
    included: in a batch, a post's activations were quantised with its neighbours' range, which moved scores
    by up to 0.11. Here each row gets an asymmetric scheme over its own values (scale = (max(0, max x)
    − min(0, min x)) / 127, zero point = round(−min / scale): :data:`ACTIVATION_LEVELS`); the zero point is taken out
    after the integer product (``MatMulInteger`` takes only one zero point for A) through the column sums of
    the int8 weights. Rows of padding are masked out by attention, so batched and single scores agree to
    float rounding, and the graph is closer to the fp32 model than the per-tensor one (docs/nlp.md).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    g = model.graph
    init = {i.name: i for i in g.initializer}
    readers: dict[str, list[Any]] = {}
    for n in g.node:
        for i in n.input:
            readers.setdefault(i, []).append(n)
    consts = [numpy_helper.from_array(np.asarray(v, dtype=np.float32), k)
              for k, v in (("pr_zero", 0.0), (LEVELS, ACTIVATION_LEVELS), ("pr_eps", 1e-12))]
    width, shapes = _row_widths(g)
    consts += shapes
    replace: dict[int, list[Any]] = {}
    quantized: dict[str, tuple[str, str, str]] = {}
    drop: set[int] = set()

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> Any:
        return helper.make_node(op, inputs, [output], **attrs)

    for n in g.node:
        if n.op_type != "DynamicQuantizeLinear":
            continue
        x, p = n.input[0], n.output[0] + "_row"
        replace[id(n)] = [
            node("ReduceMin", [x], p + "_min0", axes=[-1], keepdims=1),
            node("ReduceMax", [x], p + "_max0", axes=[-1], keepdims=1),
            node("Min", [p + "_min0", "pr_zero"], p + "_min"),
            node("Max", [p + "_max0", "pr_zero"], p + "_max"),
            node("Sub", [p + "_max", p + "_min"], p + "_range"),
            node("Div", [p + "_range", LEVELS], p + "_scale0"),
            node("Max", [p + "_scale0", "pr_eps"], p + "_scale"),
            node("Div", [p + "_min", p + "_scale"], p + "_mins"),
            node("Neg", [p + "_mins"], p + "_zp0"),
            node("Round", [p + "_zp0"], p + "_zp1"),
            node("Clip", [p + "_zp1", "pr_zero", LEVELS], p + "_zp"),
            *_row_quantise(x, p, width[n.output[0]]),
        ]
        quantized[n.output[0]] = (p + "_q", p + "_scale", p + "_zp")
    for n in g.node:
        if n.op_type != "MatMulInteger":
            continue
        q, scale, zp = quantized[n.input[0]]
        weight = n.input[1].removesuffix("_quantized")
        wq = numpy_helper.to_array(init[n.input[1]]).astype(np.int64)
        wzp = numpy_helper.to_array(init[n.input[3]]).astype(np.int64)
        consts.append(numpy_helper.from_array((wq - wzp).sum(0).astype(np.float32), weight + "_colsum"))
        cast = readers[n.output[0]][0]
        mul = readers[cast.output[0]][0]  # the int32 product × (activation scale × weight scale)
        if cast.op_type != "Cast" or mul.op_type != "Mul":
            raise ValueError(f"{src}: unexpected graph after {n.name}")
        o = n.output[0] + "_row"
        replace[id(n)] = [
            helper.make_node("MatMulInteger", [q, n.input[1], "", n.input[3]], [o + "_int"]),
            node("Cast", [o + "_int"], o + "_f", to=TensorProto.FLOAT),
            node("Mul", [zp, weight + "_colsum"], o + "_zpc"),
            node("Sub", [o + "_f", o + "_zpc"], o + "_d"),
            node("Mul", [scale, weight + "_scale"], o + "_s"),
            node("Mul", [o + "_d", o + "_s"], mul.output[0]),
        ]
        drop.update({id(cast), id(mul)})
    nodes = [m for n in g.node if id(n) not in drop for m in replace.get(id(n), [n])]
    _prune(g, nodes, {o.name for o in g.output}, consts)  # the per-tensor scale products nothing reads any more
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return dst


def last_layer_on_cls(src: Path, dst: Path) -> Path:
    """Rewrite a graph of :func:`quantize_per_row` so that each member's last layer computes the [CLS] row alone.

    The head reads only the last layer's [CLS] row, and every step of a layer but attention's keys and values works
    row by row (activations are quantised per row too). So the last layer's query, attention, output projection,
    layer norms and feed-forward can run on that one row, while keys and values still read every token: about 40 %
    less work in a two-layer graph, and the same labels. Logits move by float rounding only: the one-row attention
    product rounds differently (~3e-5), which can move one int8 step of a later activation (≤ 0.01 in log-odds on
    the shipped student with onnxruntime's basic graph optimisations, as :mod:`nlp.encoder` runs it; docs/nlp.md).
    The query product reads row 0 of the quantised input (and its scale and zero point), the residual reads row 0 of
    the layer's input, and the two reshapes that carried the token count get 1.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(src))
    g = model.graph
    by_out = {o: n for n in g.node for o in n.output}
    readers: dict[str, list[Any]] = {}
    for n in g.node:
        for i in n.input:
            readers.setdefault(i, []).append(n)
    last: dict[str, int] = {}
    for o in by_out:
        if m := _LAYER_OUTPUT.match(o):
            last[m[1]] = max(last.get(m[1], -1), int(m[2]))
    if not last:
        raise ValueError(f"{src}: no encoder layers")
    sliced: dict[str, Any] = {}  # the row-0 slice of a tensor, by the tensor's name

    def row0(name: str) -> str:
        if name not in sliced:
            sliced[name] = helper.make_node("Slice", [name, "cls_zero", "cls_one", "cls_one"], [name + "_cls"])
        return name + "_cls"

    def node(name: str, op: str) -> Any:
        if name not in by_out or by_out[name].op_type != op:
            raise ValueError(f"{src}: not a graph of quantize_per_row ({op} {name} missing)")
        return by_out[name]

    for member, layer in last.items():
        p = f"{member}layers.{layer}/"
        q = node(p + "q/MatMul_output_0_output_quantized_row_int", "MatMulInteger")
        if by_out.get(q.input[0]) is not None and by_out[q.input[0]].op_type == "Slice":
            raise ValueError(f"{src}: the last layer already works on [CLS] alone")
        activation = q.input[0].removesuffix("_q")  # the quantised input's name stem: <x>_quantized_row
        zpc = node(p + "q/MatMul_output_0_output_quantized_row_zpc", "Mul")
        scale = node(p + "q/MatMul_output_0_output_quantized_row_s", "Mul")
        residual = node(p + "Add_1_output_0", "Add")
        if (zpc.input[0], scale.input[0]) != (activation + "_zp", activation + "_scale") \
                or residual.input[1] != p + "o/Add_output_0":
            raise ValueError(f"{src}: unexpected query or residual in {p}")
        q.input[0], zpc.input[0], scale.input[0] = row0(q.input[0]), row0(zpc.input[0]), row0(scale.input[0])
        residual.input[0] = row0(residual.input[0])
        # the query's split into heads (batch, tokens, heads, width) and the context's merge (batch, tokens, width)
        for name, data in (("Reshape_output_0", "q/Add_output_0"), ("Reshape_3_output_0", "Transpose_3_output_0")):
            reshape = node(p + name, "Reshape")
            shape = by_out.get(reshape.input[1])
            if reshape.input[0] != p + data or shape is None or shape.op_type != "Concat" \
                    or len(readers[shape.output[0]]) != 1 or not shape.input[1].startswith(p + "Unsqueeze"):
                raise ValueError(f"{src}: unexpected shape of {reshape.output[0]}")
            shape.input[1] = "cls_one"  # the token count → 1
    pending = {s.output[0]: s for s in sliced.values()}
    nodes = []
    for n in g.node:  # each slice just before its first reader
        nodes += [pending.pop(i) for i in n.input if i in pending]
        nodes.append(n)
    consts = [numpy_helper.from_array(np.asarray([v], dtype=np.int64), k) for k, v in (("cls_zero", 0), ("cls_one", 1))]
    _prune(g, nodes, {o.name for o in g.output}, consts)
    del g.value_info[:]  # the exporter's shapes name the token count where there is now one row
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return dst


#: An output of an encoder layer: its member's prefix and the layer's number (``/members.0/layers.1/…``).
_LAYER_OUTPUT = re.compile(r"(.*/)layers\.(\d+)/")


def _row_widths(g: Any) -> tuple[dict[str, int], list[Any]]:
    """The width (K) of each quantised activation, by name (the rows of the int8 weights its product reads),
    and the shape constants :func:`_row_quantise` reads."""
    from onnx import numpy_helper

    init = {i.name: i for i in g.initializer}
    width = {n.input[0]: numpy_helper.to_array(init[n.input[1]]).shape[0] for n in g.node
             if n.op_type == "MatMulInteger"}
    shapes = [("pr_flat", [-1])] + [(f"pr_rows_{w}", [-1, w]) for w in sorted(set(width.values()))]
    return width, [numpy_helper.from_array(np.asarray(v, dtype=np.int64), k) for k, v in shapes]


def _row_quantise(x: str, p: str, width: int) -> list[Any]:
    """Nodes quantising ``x`` row by row with the scales and zero points already computed (``p_scale``,
    ``p_zp``, one per row) into ``p_q``: one per-axis ``QuantizeLinear`` over the rows (round half to even, then
    saturate: the same numbers as Div, Round, Add, Clip and Cast in five passes over the tensor)."""
    from onnx import TensorProto, helper

    return [
        helper.make_node("Shape", [x], [p + "_shape"]),
        helper.make_node("Reshape", [x, f"pr_rows_{width}"], [p + "_x2"]),
        helper.make_node("Reshape", [p + "_scale", "pr_flat"], [p + "_s1"]),
        helper.make_node("Cast", [p + "_zp"], [p + "_zpu"], to=TensorProto.UINT8),
        helper.make_node("Reshape", [p + "_zpu", "pr_flat"], [p + "_z1"]),
        helper.make_node("QuantizeLinear", [p + "_x2", p + "_s1", p + "_z1"], [p + "_q2"], axis=0),
        helper.make_node("Reshape", [p + "_q2", p + "_shape"], [p + "_q"]),
    ]


def narrow_activations(src: Path, dst: Path) -> Path:
    """Rewrite a graph of :func:`quantize_per_row` whose activation rows span [0, 255] (graphs before the
    seventeenth session) to [0, :data:`ACTIVATION_LEVELS`]; the int8 weights are untouched."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    g = model.graph
    old = [i for i in g.initializer if i.name == "pr_255"]
    if not old:
        raise ValueError(f"{src}: no per-row activation grid of 255 levels")
    g.initializer.remove(old[0])
    g.initializer.append(numpy_helper.from_array(np.asarray(ACTIVATION_LEVELS, dtype=np.float32), LEVELS))
    for n in g.node:
        n.input[:] = [LEVELS if i == "pr_255" else i for i in n.input]
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return dst


def fuse_row_quantisation(src: Path, dst: Path) -> Path:
    """Rewrite a graph of the earlier :func:`quantize_per_row` (Div, Round, Add, Clip, Cast per quantised
    activation) into today's form (:func:`_row_quantise`); the logits are the same numbers (checked to 0.0 on
    the shipped graphs), only faster (one pass instead of five)."""
    import onnx

    model = onnx.load(str(src))
    g = model.graph
    by_out = {o: n for n in g.node for o in n.output}
    width, consts = _row_widths(g)
    replace: dict[int, list[Any]] = {}
    drop: set[int] = set()
    for n in g.node:
        if n.op_type == "ReduceMin" and n.output[0].endswith("_row_min0"):
            p = n.output[0].removesuffix("_min0")
            chain = [by_out[p + s] for s in ("_xs", "_xr", "_xz", "_xc", "_q")]
            drop.update(id(c) for c in chain)
            replace[id(chain[-1])] = _row_quantise(n.input[0], p, width[p + "_q"])
    if not replace:
        raise ValueError(f"{src}: no per-row quantisation of the earlier form")
    nodes = [m for n in g.node if id(n) not in drop or id(n) in replace for m in replace.get(id(n), [n])]
    _prune(g, nodes, {o.name for o in g.output}, consts)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return dst


def _prune(g: Any, nodes: list[Any], outputs: set[str], extra_initializers: Sequence[Any] = ()) -> None:
    """Set ``g``'s nodes to those of ``nodes`` whose results something reads (up to ``outputs``), and keep only
    the initializers (of ``g`` and ``extra_initializers``) they read."""
    while True:
        read = {i for n in nodes for i in n.input} | outputs
        live = [n for n in nodes if any(o in read for o in n.output)]
        if len(live) == len(nodes):
            break
        nodes = live
    del g.node[:]
    g.node.extend(nodes)
    read = {i for n in nodes for i in n.input}
    kept = [i for i in list(g.initializer) + list(extra_initializers) if i.name in read]
    del g.initializer[:]
    g.initializer.extend(kept)


def keep_member(src: Path, dst: Path, member: int) -> Path:
    """One member of a multi-member graph written by :func:`export` (half the work per post for two members),
    with the tokenizer beside it: what the ``default`` cascade runs (docs/nlp.md)."""
    import onnx
    from onnx import helper

    model = onnx.load(str(src))
    g = model.graph
    head = f"/members.{member}/head/Gemm_output_0"
    if not any(head in n.output for n in g.node):
        raise ValueError(f"{src}: no member {member}")
    nodes = [n for n in g.node if "logits" not in n.output] + [helper.make_node("Identity", [head], ["logits"])]
    _prune(g, nodes, {"logits"})
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    shutil.copyfile(tokenizer_path(src), tokenizer_path(dst))
    return dst

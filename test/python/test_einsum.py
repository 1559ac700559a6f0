"""Einsum: torch.einsum exports (attention, batched products, ellipsis
broadcasts, diagonals, outer products, sums, three operands) compiled by
`dlcc --inference -o` and run by `dlcc-run`, against onnxruntime and torch;
and the clear errors for what dlcc cannot compile."""
import numpy as np
import pytest
from onnx import TensorProto, helper

from programs import DLCC_RUN, assert_close, compile_and_run, onnxruntime_outputs, rejected

pytestmark = pytest.mark.skipif(not DLCC_RUN.is_file(), reason="dlcc not built")

CASES = [
    # (equation, operand shapes)
    ("bhqd,bhkd->bhqk", [(2, 3, 5, 4), (2, 3, 6, 4)]),
    ("bhqk,bhkd->bhqd", [(2, 3, 5, 6), (2, 3, 6, 4)]),
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (1, 3, 4, 2)]),
    ("bii->bi", [(2, 4, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("abc,cd->abd", [(2, 3, 4), (4, 5)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 5)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("i,i->", [(6,), (6,)]),
    ("ii", [(4, 4)]),
    ("iij", [(3, 3, 2)]),
]


@pytest.mark.parametrize("equation,shapes", CASES, ids=[c[0] for c in CASES])
def test_torch_einsum_matches_onnxruntime(tmp_path, equation, shapes):
    torch = pytest.importorskip("torch")

    class Einsum(torch.nn.Module):
        def forward(self, *xs):
            return torch.einsum(equation, *xs)

    rng = np.random.default_rng(4)
    xs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    names = ["x%d" % i for i in range(len(xs))]
    path = tmp_path / "einsum.onnx"
    torch.onnx.export(Einsum(), tuple(torch.from_numpy(x) for x in xs), str(path),
                      input_names=names, output_names=["y"], opset_version=12)
    inputs = dict(zip(names, xs))
    expected = onnxruntime_outputs(path, inputs)
    assert_close(compile_and_run(tmp_path, path, inputs), expected)
    with torch.no_grad():
        np.testing.assert_allclose(
            expected["y"], Einsum()(*[torch.from_numpy(x) for x in xs]).numpy(),
            rtol=1e-4, atol=1e-5)


def einsum_model(path, equation, shapes, dtype=TensorProto.FLOAT):
    names = ["x%d" % i for i in range(len(shapes))]
    graph = helper.make_graph(
        [helper.make_node("Einsum", names, ["y"], equation=equation)], "einsum",
        [helper.make_tensor_value_info(n, dtype, list(s)) for n, s in zip(names, shapes)],
        [helper.make_tensor_value_info("y", dtype, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 7
    path.write_bytes(model.SerializeToString())
    return path


@pytest.mark.parametrize("equation,shapes,dtype,phrase", [
    ("ij,jk->ik", [(3, 4), (4, 5)], TensorProto.INT64, "takes float tensors"),
    ("ij,jk->ik", [(3, 4), (5, 5)], TensorProto.FLOAT, "letter 'j' has sizes 4 and 5"),
    ("ij,jk->iz", [(3, 4), (4, 5)], TensorProto.FLOAT, "output letter 'z'"),
    ("ij,j?->i", [(3, 4), (4, 5)], TensorProto.FLOAT, "is malformed at '?'"),
    ("ijk->i", [(3, 4)], TensorProto.FLOAT, "do not fit input 0 of rank 2"),
    ("ij->i", [(3, 4), (4,)], TensorProto.FLOAT, "has 1 operands but the node 2 inputs"),
], ids=["integer", "sizes", "output-letter", "malformed", "rank", "operand-count"])
def test_bad_einsum_is_rejected(tmp_path, equation, shapes, dtype, phrase):
    rejected(einsum_model(tmp_path / "e.onnx", equation, shapes, dtype), phrase)

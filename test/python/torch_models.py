"""Small PyTorch models and an ONNX export helper.

Used by the end-to-end import tests (test_torch_exports.py) and by later
training work. The models are deliberately tiny; their sizes are constructor
arguments so callers can scale them.
"""

import copy
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 17


class MLP(nn.Module):
    """Linear -> ReLU -> Dropout -> Linear."""

    def __init__(self, in_features=4, hidden=8, out_features=3, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(self.dropout(self.relu(self.fc1(x))))


class SmallCNN(nn.Module):
    """Two conv blocks (Conv-BN-ReLU-MaxPool, Conv-BN-ReLU-AvgPool-AdaptiveAvgPool),
    Flatten and a Linear classifier. Input: N x in_channels x 8 x 8 by default."""

    def __init__(self, in_channels=1, channels=(4, 8), num_classes=10):
        super().__init__()
        c1, c2 = channels
        self.block1 = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size=3, padding=1),
            nn.BatchNorm2d(c1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.block2 = nn.Sequential(
            nn.Conv2d(c1, c2, kernel_size=3, padding=1),
            nn.BatchNorm2d(c2),
            nn.ReLU(),
            nn.AvgPool2d(2),
            nn.AdaptiveAvgPool2d(1),
        )
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(c2, num_classes)

    def forward(self, x):
        return self.fc(self.flatten(self.block2(self.block1(x))))


class SelfAttention(nn.Module):
    """Multi-head self-attention written out by hand (Linear q/k/v/proj,
    softmax attention), causal unless `causal` is False."""

    def __init__(self, d_model, n_heads, block_size, dropout, causal=True):
        super().__init__()
        assert d_model % n_heads == 0
        self.causal = causal
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)
        mask = torch.tril(torch.ones(block_size, block_size, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, block_size, block_size), persistent=False)

    def forward(self, x):
        b, t, c = x.shape
        h, hd = self.n_heads, self.head_dim
        q = self.q(x).view(b, t, h, hd).transpose(1, 2)  # b h t hd
        k = self.k(x).view(b, t, h, hd).transpose(1, 2)
        v = self.v(x).view(b, t, h, hd).transpose(1, 2)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # b h t t
        if self.causal:
            scores = scores.masked_fill(~self.mask[:, :, :t, :t], float("-inf"))
        attn = F.softmax(scores, dim=-1)
        attn = self.attn_dropout(attn)
        y = (attn @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.resid_dropout(self.proj(y))


class Block(nn.Module):
    """Pre-LN transformer block: x + attn(ln(x)); x + mlp(ln(x))."""

    def __init__(self, d_model, n_heads, block_size, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = SelfAttention(d_model, n_heads, block_size, dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model),
            nn.GELU(),
            nn.Linear(4 * d_model, d_model),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        x = x + self.mlp(self.ln2(x))
        return x


class TinyGPT(nn.Module):
    """A minimal GPT: token + learned position embeddings, pre-LN blocks,
    final LayerNorm, LM head tied to the token embedding. With `targets`,
    forward returns (logits, loss)."""

    def __init__(self, vocab_size=64, d_model=32, n_heads=2, n_layers=2, block_size=8,
                 dropout=0.1):
        super().__init__()
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(block_size, d_model)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            [Block(d_model, n_heads, block_size, dropout) for _ in range(n_layers)]
        )
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.tok_emb.weight  # weight tying
        self.loss_fn = nn.CrossEntropyLoss()

    def forward(self, idx, targets=None):
        b, t = idx.shape
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.drop(self.tok_emb(idx) + self.pos_emb(pos))
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        if targets is None:
            return logits
        loss = self.loss_fn(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


class EncoderLayer(nn.Module):
    """Post-LN encoder layer (BERT): x = LN(x + attn(x)); x = LN(x + fc2(gelu(fc1(x))))."""

    def __init__(self, d_model, n_heads, ff, max_len, dropout=0.0):
        super().__init__()
        self.attn = SelfAttention(d_model, n_heads, max_len, dropout, causal=False)
        self.ln1 = nn.LayerNorm(d_model)
        self.fc1, self.fc2 = nn.Linear(d_model, ff), nn.Linear(ff, d_model)
        self.ln2 = nn.LayerNorm(d_model)

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.fc2(F.gelu(self.fc1(x))))


class BertMLM(nn.Module):
    """A BERT-style masked-LM encoder: token + learned position embeddings,
    LayerNorm, post-LN encoder layers, a Linear head to the vocabulary."""

    def __init__(self, vocab, positions, d_model, heads, ff, layers, dropout=0.0):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(positions, d_model)
        self.ln = nn.LayerNorm(d_model)
        self.layers = nn.ModuleList(
            [EncoderLayer(d_model, heads, ff, positions, dropout) for _ in range(layers)])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, x):
        pos = torch.arange(0, x.shape[1], dtype=torch.long, device=x.device)
        x = self.ln(self.tok(x) + self.pos(pos))
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


def export(model, args, path, training=True, dynamic_batch=False, constant_folding=True,
           input_names=None, output_names=None, opset_version=OPSET):
    """Exports `model` called on `args` (a tensor or a tuple) to ONNX at `path`.

    training=True exports in TrainingMode.TRAINING (Dropout and BatchNorm in
    their training behaviour, BN running statistics as extra outputs), else
    TrainingMode.EVAL. torch 1.13 does not refuse constant folding in training
    mode but warns that it mutates parameters and folds anyway, so folding is
    only requested in eval mode (constant_folding is ignored when training).

    dynamic_batch marks dimension 0 of every input and output as the symbolic
    dimension "batch". A scalar output (a loss) gets no dynamic axis.

    Returns the path.
    """
    if not isinstance(args, tuple):
        args = (args,)
    path = str(path)
    mode = torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL
    # With a training mode, torch 1.13 only warns ("It is recommended that
    # constant folding be turned off ... because constant folding mutates model
    # parameters") and then folds anyway; so folding is turned off here.
    do_constant_folding = bool(constant_folding) and not training

    dynamic_axes = None
    if dynamic_batch:
        dynamic_axes = {}
        for name, arg in zip(input_names or [], args):
            if isinstance(arg, torch.Tensor) and arg.dim() > 0:
                dynamic_axes[name] = {0: "batch"}
        if output_names:
            # Output ranks do not depend on the mode; a copy in eval mode keeps
            # the model's BatchNorm statistics and RNG use untouched.
            with torch.no_grad():
                outs = copy.deepcopy(model).eval()(*args)
            if not isinstance(outs, (tuple, list)):
                outs = (outs,)
            for name, out in zip(output_names, outs):
                if isinstance(out, torch.Tensor) and out.dim() > 0:
                    dynamic_axes[name] = {0: "batch"}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            args,
            path,
            opset_version=opset_version,
            training=mode,
            do_constant_folding=do_constant_folding,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
        )
    return path

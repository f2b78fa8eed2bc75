"""The embedded base model: a byte-level BPE tokenizer, the Qwen3 chat template, a tiny Qwen3.

Production points the trainer at a mounted Qwen3-32B directory; the embedded default builds a
directory of the same shape here (nothing is downloaded) so both load through the same
`AutoTokenizer` / `AutoModelForCausalLM.from_pretrained` path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast, Qwen3Config

log = logging.getLogger("flowgen.training.bootstrap")

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"  # eos: the end of every turn, trained on assistant turns
PAD = "<|endoftext|>"  # pad: never trained, distinct from eos
SPECIAL_TOKENS = (
    PAD,
    IM_START,
    IM_END,
    "<tool_call>",
    "</tool_call>",
    "<tool_response>",
    "</tool_response>",
)

# The Qwen3 tool-calling layout without <think> blocks. Tool schemas, tool-call arguments and
# tool responses are rendered with sorted keys (render.py passes them as parsed JSON) so the
# text never depends on how a dict happened to be ordered.
CHAT_TEMPLATE = (
    "{%- if tools %}"
    "{{- '<|im_start|>system\\n' }}"
    "{%- if messages[0].role == 'system' %}{{- messages[0].content + '\\n\\n' }}{%- endif %}"
    "{{- '# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n"
    "You are provided with function signatures within <tools></tools> XML tags:\\n<tools>' }}"
    "{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson(sort_keys=True) }}{%- endfor %}"
    "{{- '\\n</tools>\\n\\nFor each function call, return a json object with function name and "
    'arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": '
    '<function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\' }}'
    "{%- elif messages[0].role == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if message.role == 'user' %}"
    "{{- '<|im_start|>user\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- elif message.role == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- if message.content %}{{- message.content }}{%- endif %}"
    "{%- for tc in message.tool_calls or [] %}"
    "{%- if loop.first and not message.content %}{{- '<tool_call>\\n' }}"
    "{%- else %}{{- '\\n<tool_call>\\n' }}{%- endif %}"
    '{{- \'{"name": "\' + tc.function.name + \'", "arguments": \' }}'
    "{{- tc.function.arguments | tojson(sort_keys=True) }}"
    "{{- '}\\n</tool_call>' }}"
    "{%- endfor %}"
    "{{- '<|im_end|>\\n' }}"
    "{%- elif message.role == 'tool' %}"
    "{%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}"
    "{{- '<|im_start|>user' }}{%- endif %}"
    "{{- '\\n<tool_response>\\n' }}{{- message.content | tojson(sort_keys=True) }}"
    "{{- '\\n</tool_response>' }}"
    "{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}"
    "{{- '<|im_end|>\\n' }}{%- endif %}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


@dataclass(frozen=True)
class TinyModelConfig:
    """Size of the embedded Qwen3-architecture model (fits 2 CPU cores).

    The defaults (1.3M parameters) learn the trajectory format within the weekly demo's time
    budget (~90% of the benchmark parses and validates after 300 steps); the earlier
    361k-parameter model (hidden 64, 2 layers) only repeated `<tool_call>` after training
    (docs/benchmarks.md, "Tiny demo model"). Tests pin their own smaller size.
    A larger vocabulary does not shorten the rows: the domain corpus saturates at ~3,800 merges
    and vocab 4096 cut the tokens by 1% while doubling the output layer.
    """

    vocab_size: int = 2048  # BPE vocabulary size, special tokens included
    hidden_size: int = 128  # model width
    intermediate_size: int = 384  # MLP width
    num_hidden_layers: int = 4  # decoder layers (each one FSDP unit)
    num_attention_heads: int = 4  # query heads
    num_key_value_heads: int = 2  # key/value heads (GQA, as Qwen3-32B)
    head_dim: int = 32  # per-head width
    max_position_embeddings: int = 4096  # longest position the RoPE table covers, in tokens
    seed: int = 0  # weight init seed

    def __post_init__(self) -> None:
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")
        if self.vocab_size <= len(SPECIAL_TOKENS) + 256:
            raise ValueError("vocab_size must exceed the 256 bytes plus the special tokens")


def train_tokenizer(corpus: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained on the corpus, with the chat tokens and template."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=IM_END,
        pad_token=PAD,
        additional_special_tokens=list(SPECIAL_TOKENS[1:]),
        model_max_length=1 << 20,
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def bootstrap_base_model(corpus: Iterable[str], out_dir: Path, size: TinyModelConfig) -> Path:
    """Write a tokenizer and a randomly initialised tiny Qwen3 to `out_dir` (save_pretrained)."""
    tokenizer = train_tokenizer(corpus, size.vocab_size)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=size.hidden_size,
        intermediate_size=size.intermediate_size,
        num_hidden_layers=size.num_hidden_layers,
        num_attention_heads=size.num_attention_heads,
        num_key_value_heads=size.num_key_value_heads,
        head_dim=size.head_dim,
        max_position_embeddings=size.max_position_embeddings,
        tie_word_embeddings=False,  # as Qwen3-32B; keeps embedding and head separate FSDP params
        use_cache=False,  # packed rows are isolated only without a KV cache (training-guards.md)
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(size.seed)
    model = AutoModelForCausalLM.from_config(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    log.info(
        "bootstrapped %s: vocab %d, %d params", out_dir, len(tokenizer), model.num_parameters()
    )
    return out_dir

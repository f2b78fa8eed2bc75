"""The embedded base model: tokenizer, chat template, Qwen3 config, from_pretrained round trip."""

from __future__ import annotations

from pathlib import Path

from transformers import AutoModelForCausalLM, Qwen3ForCausalLM

from flowgen_core.agent.render import parse_row, render_text
from flowgen_core.training.bootstrap import SPECIAL_TOKENS


def test_tokenizer_round_trips_text_and_keeps_special_tokens_whole(tokenizer) -> None:
    text = 'def flow(order):\n    add_order_tags(tags="vip, é ✓")\n<|im_end|>'
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert tokenizer.decode(ids) == text
    for tok in SPECIAL_TOKENS:
        assert len(tokenizer(tok, add_special_tokens=False)["input_ids"]) == 1, tok
    assert tokenizer.eos_token == "<|im_end|>"
    assert tokenizer.pad_token == "<|endoftext|>"
    assert tokenizer.eos_token_id != tokenizer.pad_token_id


def test_chat_template_produces_the_qwen3_tool_calling_layout(tokenizer, rows) -> None:
    messages, tools = parse_row(rows[0])
    text = render_text(tokenizer, messages, tools)
    assert text.startswith("<|im_start|>system\n" + messages[0]["content"] + "\n\n# Tools\n")
    assert '\n<tools>\n{"function": {"description": ' in text  # tools as sorted JSON lines
    assert (
        '<|im_start|>assistant\n<tool_call>\n{"name": "task_search", "arguments": {"limit": '
        in text
    )
    assert "<|im_start|>user\n<tool_response>\n[{" in text
    assert "<think>" not in text
    assert text.endswith(messages[-1]["content"] + "<|im_end|>\n")
    prompt = render_text(tokenizer, messages[:2], tools, add_generation_prompt=True)
    assert prompt.endswith(
        "<|im_start|>user\n" + messages[1]["content"] + "<|im_end|>\n<|im_start|>assistant\n"
    )


def test_model_and_tokenizer_load_from_a_directory_like_a_real_checkpoint(
    base_dir: Path, tokenizer
) -> None:
    model = AutoModelForCausalLM.from_pretrained(base_dir)
    assert isinstance(model, Qwen3ForCausalLM)
    assert model.config.vocab_size == len(tokenizer)
    assert model.config.use_cache is False
    assert model.config.tie_word_embeddings is False
    assert (base_dir / "chat_template.jinja").is_file() or "chat_template" in (
        base_dir / "tokenizer_config.json"
    ).read_text()

"""The agent contract that data, training, evaluation and serving share.

`interface`: the system prompt, the tools and their responses; `tokenizer`: the chat template
and the special tokens; `render`: dataset rows to tokens and labels; `suites`: the evaluation
cases the data build keeps out of training. It imports only dsl, catalog and the base modules.
"""

"""Everything model-side, on langchain-core.

- ``settings``   which model, if any: options > environment > config.toml > defaults (pydantic-settings)
- ``client``     builds the chat model (``ChatOpenAI``, or any LangChain chat model named as ``module:Class``)
- ``chat``       the small interface the model-backed parts use (a ``BaseChatModel``, call options, labels)
- ``errors``     transport and status failures as one-line ``LLMError``s
- ``usage``      token counting from LangChain's usage metadata, with an estimate for servers that report none
- ``traffic``    the optional JSON-lines log of what was sent and received
- ``prompts``    prompts/templates/*.yaml as ``ChatPromptTemplate``s, validated when loaded
- ``structured`` structured output that also works on servers without OpenAI's json_schema mode
- ``judge``      the tone judge; ``reader`` the model's reading of a line
- ``parts``      what a command builds from the settings (the only module that knows all of the above)

Nothing here is imported by an offline path; the LangChain and OpenAI packages are imported inside functions.
"""

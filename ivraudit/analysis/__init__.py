"""What a caller lives through: stage 3 of the pipeline, after the file (`format`) and
the platform exports (`importers`).

Takes a `Menu` and gives its call graph (`graph`, with `timing`), the exact routes and
expected times (`paths`, solved by `ssp`), each intent's choices and journey
(`choices`, `journeys`, `offers`) and the figures of the format contract (`metrics`),
with the menu drawn as a tree (`outline`) and a staffed queue under load (`queues`,
Erlang A).
"""

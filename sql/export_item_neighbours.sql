-- export_item_neighbours: the whole item-neighbour table, for serving in process
-- (itemNeighboursFromRows in core/recommend/item-neighbours.ts), in the table's own order.
-- Parameters: none.
-- Placeholders: {{dataset}}.
SELECT movieId, neighbourId, sim
FROM {{dataset}}.item_neighbours
ORDER BY movieId, sim DESC, neighbourId

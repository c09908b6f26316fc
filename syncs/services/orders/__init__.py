"""Orders from the shop into Business Central: one correct BC document per order, exactly once.

A page of orders costs a constant number of database queries and a handful of $batch requests:
links are read and written in bulk, items and customers are looked up per page (and cached for
the run), documents are created, checked and posted 100 operations per request.

Modules: context (the run's context and result), filters (which orders are synced), items (BC
items and variants for SKUs), header (shipment methods, location, salesperson, dimensions), links
(record links of written documents), page (one page of orders), mark_paid (payments of orders
paid through a "mark as paid" gateway), sync (the run), preview (the wizard's test order).
"""

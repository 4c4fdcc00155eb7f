"""Domain services: FIFO allocation, discounts, totals and IVA, document emission."""

DROP TABLE seller_payouts;

ALTER TABLE "claims" ADD COLUMN "description_heard" boolean;
-- Claims taken before this column existed had their workflows started with what the call heard; the
-- column only tells the sweep how to start a voice claim whose workflow was not started.

/** `() => Date`: where the time stamped on releases and generations comes from (tests fix it). */
export type Clock = () => Date;

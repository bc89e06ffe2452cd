import { searchWords } from "./words";

describe("searchWords", () => {
  it("keeps the typed words and the phrase, one space apart", () => {
    const words = searchWords("  Priya   Stores ");
    expect(words.phrase).toBe("Priya Stores");
    expect(words.words).toEqual(["Priya", "Stores"]);
    expect(words.fulltext).toBe("+priya* +stores*");
  });

  it("strips the boolean operators typed, splitting on them as the index splits words", () => {
    expect(searchWords('+priya* -"stores" (acme) ~x <y> @3').fulltext).toBe(
      "+priya* +stores* +acme*",
    );
    expect(searchWords("zoya@kite.test").fulltext).toBe("+zoya* +kite* +test*");
    expect(searchWords("diwali_2026 प्रिया").fulltext).toBe("+diwali_2026* +प्रिया*");
  });

  it("leaves out pieces the index does not hold: short, stopwords and their prefixes", () => {
    expect(searchWords("tv of the whe ship").fulltext).toBe("+ship*");
    expect(searchWords("format wheel").fulltext).toBe("+format* +wheel*");
    expect(searchWords("tv of whe").fulltext).toBeNull();
    expect(searchWords("TKT-000123").fulltext).toBe("+tkt* +000123*");
  });
});

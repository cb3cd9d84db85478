import { describe, expect, it } from 'vitest';
import { corpusTer } from './ter.js';
import { performShift, translationEditRate } from './tercom.js';

describe('corpusTer against sacreBLEU test/test_ter.py (1e-3)', () => {
  it.each<[string, string[], string[], number]>([
    ['perfect match', ['aaaa bbbb cccc dddd'], ['aaaa bbbb cccc dddd'], 0],
    ['no overlap', ['dddd eeee ffff'], ['aaaa bbbb cccc'], 1],
    ['empty hypothesis', [''], ['a'], 1],
    ['a single shift fixes the hypothesis', ['d e f g h a b c'], ['a b c d e f g h'], 1 / 8],
    [
      'WMT 2019 dev data',
      [
        'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
        'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
        'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
        'Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .',
        'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
      ],
      [
        'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
        'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
        'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
        'Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .',
        'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
      ],
      0.136,
    ],
  ])('%s', (_name, hyps, refs, expected) => {
    const score = corpusTer(
      hyps,
      refs.map((r) => [r]),
    ).score;
    expect(Math.abs(score - 100 * expected)).toBeLessThan(1e-3);
  });
});

describe('corpusTer details', () => {
  it('is case-insensitive by default, as in sacreBLEU', () => {
    expect(corpusTer(['THE CAT'], [['the cat']]).score).toBe(0);
    expect(corpusTer(['THE CAT'], [['the cat']], { caseSensitive: true }).score).toBe(100);
  });

  it('takes the fewest edits over the references and divides by the mean reference length', () => {
    const s = corpusTer(['a b c'], [['a b c d', 'x y']]);
    expect(s).toMatchObject({ numEdits: 1, refLength: 3 });
    expect(s.score).toBeCloseTo(100 / 3, 10);
  });

  it('scores empty references like sacreBLEU: 100 if anything must be edited, else 0', () => {
    expect(corpusTer(['a b'], [['']]).score).toBe(100);
    expect(corpusTer([''], [['']]).score).toBe(0);
  });

  it('signature', () => {
    expect(corpusTer(['a'], [['a']]).signature).toBe('nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0');
    expect(corpusTer(['a', 'b'], [['a'], ['b', 'c']], { caseSensitive: true }).signature).toBe(
      'nrefs:var|case:mixed|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0',
    );
  });

  it('counts one shift for a moved block', () => {
    expect(translationEditRate('d e f g h a b c'.split(' '), 'a b c d e f g h'.split(' '))).toEqual({ edits: 1, refLength: 8 });
  });

  it.each([
    ['backwards', 3, 2, 1, ['a', 'd', 'e', 'b', 'c', 'f']],
    ['forwards', 0, 2, 4, ['c', 'd', 'a', 'b', 'e', 'f']],
    ['within the block', 1, 3, 2, ['a', 'e', 'b', 'c', 'd', 'f']],
  ])('performShift %s', (_name, start, length, target, expected) => {
    expect(performShift(['a', 'b', 'c', 'd', 'e', 'f'], start, length, target)).toEqual(expected);
  });
});

// Package readability measures how easy a text is to read, for editors to
// see as they write: the Flesch-Kincaid grade level, read as a UK reading
// age by adding 5, the sentences over 25 words, and the words that have
// plainer alternatives. It advises; nothing in it refuses a text.
package readability

import (
	"math"
	"strconv"
)

// The target reading age for public text: NHS content is written for a
// reading age of 9 to 11.
const (
	TargetLow  = 9
	TargetHigh = 11
)

// LongSentence is the most words a sentence has before it is listed as
// long.
const LongSentence = 25

// Formula names the formula on the page, for editors to know what the
// number means.
const Formula = "Flesch-Kincaid grade level (0.39 × words per sentence + 11.8 × syllables per word − 15.59), plus 5 for a UK reading age"

// Result is the measure of a text.
type Result struct {
	Words     int
	Sentences int
	Syllables int
	// Grade is the Flesch-Kincaid grade level, a US school grade.
	Grade float64
	// Long are the sentences over LongSentence words, in order.
	Long []Sentence
	// Plainer are the words and phrases with plainer alternatives.
	Plainer []Swap
}

// Measure measures markdown (or plain) text as residents read it, after
// Strip.
func Measure(markdown string) Result {
	return MeasureText(Strip(markdown))
}

// MeasureText measures plain text, split into sentences by Sentences.
func MeasureText(text string) Result {
	var r Result
	sentences := Sentences(text)
	for _, s := range sentences {
		r.Sentences++
		for _, w := range words(s.Text) {
			r.Words++
			r.Syllables += Syllables(w)
		}
		if s.Words > LongSentence {
			r.Long = append(r.Long, s)
		}
	}
	if r.Words > 0 {
		r.Grade = Grade(r.Words, r.Sentences, r.Syllables)
	}
	r.Plainer = plainerWords(sentences)
	return r
}

// Grade is the Flesch-Kincaid grade level of a text with these counts
// (Kincaid, Fishburne, Rogers and Chissom, 1975).
func Grade(words, sentences, syllables int) float64 {
	w, s, y := float64(words), float64(sentences), float64(syllables)
	return 0.39*(w/s) + 11.8*(y/w) - 15.59
}

// Empty reports whether the text had no words to measure.
func (r Result) Empty() bool { return r.Words == 0 }

// Age is the UK reading age: the grade plus 5, as a US grade starts at
// age 5 to 6.
func (r Result) Age() float64 { return r.Grade + 5 }

// RoundAge is the reading age to the nearest year, never below 5 (the
// formula goes below zero for the shortest words and sentences, which
// mean nothing as an age), or 0 for an empty text.
func (r Result) RoundAge() int {
	if r.Empty() {
		return 0
	}
	return max(5, int(math.Round(r.Age())))
}

// AgeLabel is the reading age as shown: "12", or "–" for an empty text.
func (r Result) AgeLabel() string {
	if r.Empty() {
		return "–"
	}
	return strconv.Itoa(r.RoundAge())
}

// GradeLabel is the grade to one decimal place.
func (r Result) GradeLabel() string { return strconv.FormatFloat(r.Grade, 'f', 1, 64) }

// OnTarget reports whether the reading age is 11 or under (a text easier
// than 9 is no fault).
func (r Result) OnTarget() bool { return r.RoundAge() <= TargetHigh }

// Verdict says how the reading age compares with the target.
func (r Result) Verdict() string {
	switch age := r.RoundAge(); {
	case r.Empty():
		return "There is no text to measure yet."
	case age > TargetHigh:
		return "Harder than the target of " + strconv.Itoa(TargetLow) + " to " + strconv.Itoa(TargetHigh) +
			": try shorter sentences and shorter words."
	case age < TargetLow:
		return "Easier than the target of " + strconv.Itoa(TargetLow) + " to " + strconv.Itoa(TargetHigh) + ": easy to read."
	default:
		return "Within the target of " + strconv.Itoa(TargetLow) + " to " + strconv.Itoa(TargetHigh) + "."
	}
}

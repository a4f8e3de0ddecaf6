package admin

import (
	"cmp"
	"math"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/readability"
	"github.com/joinedup/joinedup/internal/web"
)

// measured is one field of public text that a form's reading age measures:
// markdown, or with lines set, a list of one item a line (a place's
// aims), each read as a sentence.
type measured struct {
	field string
	value string
	lines bool
}

// readingAge is the reading age panel of a form, with id its id in the
// page and of what it measures ("the summary and the body"), measuring
// texts as one. The panel names the fields for the page's script, which
// measures them again as the editor types.
func readingAge(id, of string, texts ...measured) *web.ReadingAge {
	names := make([]string, len(texts))
	for i, t := range texts {
		names[i] = t.field
		if t.lines {
			names[i] += ":lines"
		}
	}
	return &web.ReadingAge{ID: id, Of: of, Fields: strings.Join(names, " "), Result: measure(texts...)}
}

// previewReadingAge is the reading age panel of a preview, which has no
// fields to measure again.
func previewReadingAge(of string, texts ...measured) *web.ReadingAge {
	return &web.ReadingAge{ID: "readability", Of: of, Result: measure(texts...)}
}

// measure measures texts as one text, each its own paragraph.
func measure(texts ...measured) readability.Result {
	parts := make([]string, 0, len(texts))
	for _, t := range texts {
		v := t.value
		if t.lines {
			v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\n", "\n\n")
		}
		parts = append(parts, v)
	}
	return readability.Measure(strings.Join(parts, "\n\n"))
}

// maxMeasured is the most text POST /admin/readability measures, more
// than the longest field of any form.
const maxMeasured = 200_000

// readabilityMeasure answers a form's script as its editor types: the
// reading age of the texts posted (each "text" markdown, each "lines" a
// list of one item a line), as the panel's HTML. It changes nothing, so
// every signed-in user may ask.
func (h *handlers) readabilityMeasure(w http.ResponseWriter, r *http.Request, _ accounts.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 2*maxMeasured)
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The text could not be read: it may be too long to measure.")
	}
	var texts []measured
	n := 0
	for _, kind := range []string{"text", "lines"} {
		for _, v := range r.PostForm[kind] {
			n += len(v)
			texts = append(texts, measured{value: v, lines: kind == "lines"})
		}
	}
	if n > maxMeasured {
		return web.BadRequest("The text is too long to measure.")
	}
	return h.site.RenderPart(w, r, http.StatusOK, "admin-readability-result", measure(texts...))
}

// What each kind of record's reading age measures, as the form shows it
// (ReadingAge, for the template) and its preview.

const postMeasured = "the summary, the body and the pull quote"

// ReadingAge is the post form's reading age panel.
func (f postForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", postMeasured, measured{"summary", f.Summary, false}, measured{"body", f.Body, false},
		measured{"pull_quote", f.PullQuote, false})
}

func postPreviewReadingAge(summary, body, pullQuote string) *web.ReadingAge {
	return previewReadingAge(postMeasured, measured{value: summary}, measured{value: body}, measured{value: pullQuote})
}

const eventMeasured = "the summary and the description"

// ReadingAge is the event form's reading age panel.
func (f eventForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", eventMeasured, measured{"summary", f.Summary, false}, measured{"body", f.Body, false})
}

func eventPreviewReadingAge(summary, body string) *web.ReadingAge {
	return previewReadingAge(eventMeasured, measured{value: summary}, measured{value: body})
}

// ReadingAge is the place form's reading age panel: what the place's page
// says about its partnership.
func (f placeForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the summary, the purpose and the aims", measured{"summary", f.Summary, false},
		measured{"purpose", f.Purpose, false}, measured{"aims_intro", f.AimsIntro, false}, measured{"aims", f.Aims, true})
}

// ReadingAge is the service form's reading age panel.
func (f serviceForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the description", measured{"description", f.Description, false})
}

// ReadingAge is the board form's reading age panel: the board's
// description and terms of reference, and what residents read before
// asking a question.
func (f boardForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the description, the terms of reference and the texts about questions",
		measured{"description", f.Description, false}, measured{"terms", f.Terms, false},
		measured{"out_of_scope", f.OutOfScope, false}, measured{"after_deadline", f.AfterDeadline, false})
}

// ReadingAge is the meeting form's reading age panel.
func (f meetingForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the summary, the description and the minutes", measured{"summary", f.Summary, false},
		measured{"body", f.Body, false}, measured{"minutes", f.Minutes, false})
}

// ReadingAge is the reading age panel of the form that adds a paper
// written as a web page.
func (f paperForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability-paper", "the paper", measured{"paper_body", f.Body, false})
}

// PaperReadingAge is the reading age of a paper written as a web page, or
// "" for a PDF.
func (d meetingFormData) PaperReadingAge(p boards.Paper) string {
	if p.Format != boards.PaperHTML {
		return ""
	}
	return readability.Measure(p.Body).AgeLabel()
}

// ReadingAge is a listed post's reading age, measured as its form does.
// The list measures each row once (see postRows); a row made elsewhere is
// measured on asking.
func (row postRow) ReadingAge() readability.Result {
	if row.age != nil {
		return *row.age
	}
	return newPostForm(row.Post).ReadingAge().Result
}

// ReadingAge is a listed event's reading age, measured as its form does.
func (row eventRow) ReadingAge() readability.Result {
	if row.age != nil {
		return *row.age
	}
	return newEventForm(row.Event).ReadingAge().Result
}

// ReadingAge is a listed place's reading age, measured as its form does.
func (row placeRow) ReadingAge() readability.Result {
	return newPlaceForm(row.Place).ReadingAge().Result
}

// ReadingAge is a listed board's reading age, measured as its form does.
func (row boardRow) ReadingAge() readability.Result {
	return newBoardForm(row.Board).ReadingAge().Result
}

// MeetingReadingAge is the reading age of one of the board's meetings,
// measured as its form does.
func (row boardRow) MeetingReadingAge(m boards.Meeting) readability.Result {
	return newMeetingForm(row.Board, m, row.events[m.EventID]).ReadingAge().Result
}

// ReadingAge is a listed service's reading age: its description, as its
// form measures it.
func (d serviceListData) ReadingAge(s directory.ServiceSummary) readability.Result {
	return measure(measured{value: s.Description})
}

// compareReadingAge orders two measures by reading age, a text with
// nothing to measure below any other.
func compareReadingAge(a, b readability.Result) int {
	age := func(m readability.Result) float64 {
		if m.Empty() {
			return math.Inf(-1)
		}
		return m.Age()
	}
	return cmp.Compare(age(a), age(b))
}
